import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/** Tables of the PostgreSQL event store, as Kysely sees them. */
export interface EventStoreTables {
  events: {
    global_position: string | number;
    stream_id: string;
    stream_position: string | number;
    event_id: string;
    type: string;
    data: unknown;
    metadata: unknown;
    recorded_at: Date;
    tx_id: string;
    hash: Uint8Array;
  };
  streams: {
    stream_id: string;
    version: string | number;
    head_hash: Uint8Array;
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

/**
 * The append runs as one function call so an append is one round trip. Why it is shaped this way
 * (see docs/adr/0002-gap-safe-global-order.md):
 * - a per-stream advisory lock orders appends to one stream without assigning a transaction id;
 * - the transaction id is assigned and the global positions are drawn under one short session lock,
 *   so among appends, transaction id order equals global position order; readers then return only
 *   events whose transaction is older than every running one, which can never skip a late commit;
 * - the hash chain is computed here because only here are the previous hash and the positions known.
 */
function initialMigration(schema: string): Migration {
  const s = `"${schema}"`;
  return {
    async up(db: Kysely<unknown>) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of [
        `CREATE SCHEMA IF NOT EXISTS ${s}`,
        `CREATE SEQUENCE ${s}.global_position AS bigint`,
        `CREATE TABLE ${s}.events (
  global_position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  stream_position bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL,
  tx_id xid8 NOT NULL,
  hash bytea NOT NULL,
  UNIQUE (stream_id, stream_position)
)`,
        `CREATE TABLE ${s}.streams (
  stream_id text PRIMARY KEY,
  version bigint NOT NULL,
  head_hash bytea NOT NULL
)`,
        `CREATE FUNCTION ${s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Concord events are immutable: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'CN010';
END $$`,
        `CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON ${s}.events
  FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change()`,
        `CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_change()`,
        `CREATE TRIGGER streams_no_delete BEFORE DELETE ON ${s}.streams
  FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change()`,
        `CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON ${s}.streams
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_change()`,
        `CREATE FUNCTION ${s}.append(
  p_stream text, p_expected_kind text, p_expected bigint,
  p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
) RETURNS TABLE (next_version bigint, last_position bigint, already boolean)
LANGUAGE plpgsql AS $$
DECLARE
  n int := cardinality(p_ids);
  v_version bigint;
  v_prev bytea;
  v_found_stream text;
  v_found_position bigint;
  v_positions bigint[];
  v_hashes bytea[] := '{}';
  v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms text;
  v_part text;
  i int;
BEGIN
  IF n = 0 THEN
    RAISE EXCEPTION 'an append needs at least one event' USING ERRCODE = 'CN004';
  END IF;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CN003';
  END IF;
  v_ms := ((extract(epoch FROM v_now) * 1000)::bigint)::text;
  PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext(p_stream));

  SELECT stream_id, stream_position INTO v_found_stream, v_found_position
    FROM ${s}.events WHERE event_id = p_ids[1];
  IF FOUND THEN
    IF v_found_stream = p_stream AND (
      SELECT count(*) FROM ${s}.events e
        JOIN unnest(p_ids) WITH ORDINALITY AS u(id, ord) ON e.event_id = u.id
       WHERE e.stream_id = p_stream AND e.stream_position = v_found_position + u.ord - 1
    ) = n THEN
      RETURN QUERY SELECT (SELECT version FROM ${s}.streams WHERE stream_id = p_stream),
        (SELECT global_position FROM ${s}.events WHERE event_id = p_ids[n]), true;
      RETURN;
    END IF;
    RAISE EXCEPTION 'event id already stored elsewhere' USING ERRCODE = 'CN002', DETAIL = p_ids[1]::text;
  END IF;

  SELECT version, head_hash INTO v_version, v_prev FROM ${s}.streams WHERE stream_id = p_stream;
  IF NOT FOUND THEN
    v_version := 0;
    v_prev := decode(repeat('00', 32), 'hex');
  END IF;
  IF (p_expected_kind = 'version' AND v_version <> p_expected)
     OR (p_expected_kind = 'no_stream' AND v_version <> 0)
     OR (p_expected_kind = 'stream_exists' AND v_version = 0) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'CN001', DETAIL = v_version::text;
  END IF;

  PERFORM pg_advisory_lock(hashtext('${schema}.global'), 0);
  PERFORM pg_current_xact_id();
  SELECT array_agg(nextval('${s}.global_position')) INTO v_positions FROM generate_series(1, n);
  PERFORM pg_advisory_unlock(hashtext('${schema}.global'), 0);

  FOR i IN 1..n LOOP
    v_part := p_types[i];
    v_prev := sha256(v_prev || convert_to(
      octet_length(p_stream) || ':' || p_stream ||
      length((v_version + i)::text) || ':' || (v_version + i)::text ||
      length(v_positions[i]::text) || ':' || v_positions[i]::text ||
      '36:' || p_ids[i]::text ||
      octet_length(v_part) || ':' || v_part ||
      length(v_ms) || ':' || v_ms ||
      octet_length(p_data[i]) || ':' || p_data[i] ||
      octet_length(p_metadata[i]) || ':' || p_metadata[i], 'UTF8'));
    v_hashes[i] := v_prev;
  END LOOP;

  INSERT INTO ${s}.events
    (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, tx_id, hash)
  SELECT v_positions[u.ord], p_stream, v_version + u.ord, u.id, p_types[u.ord],
         p_data[u.ord]::json, p_metadata[u.ord]::json, v_now, pg_current_xact_id(), v_hashes[u.ord]
    FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord);

  INSERT INTO ${s}.streams (stream_id, version, head_hash) VALUES (p_stream, v_version + n, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash;

  RETURN QUERY SELECT v_version + n, v_positions[n], false;
END $$`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}

/** Creates or upgrades the event store's tables in `schema`. */
export async function migrateEventStore(db: Kysely<unknown>, schema: string): Promise<void> {
  assertSchemaName(schema);
  const migrations: Record<string, Migration> = { '0001_events': initialMigration(schema) };
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
