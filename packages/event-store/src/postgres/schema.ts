import { type Kysely, type Migration, sql } from 'kysely';
import { migrateSchema } from './migrate-schema.ts';

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
 * An event's global position is its transaction id times this, plus its index in the append. So an
 * append holds at most this many events less one, and positions are sparse but totally ordered.
 */
export const POSITIONS_PER_TRANSACTION = 1000;

/**
 * The global position a reader may safely read up to: every transaction with a smaller id has ended,
 * and every event still to come will carry a larger position.
 */
export const SAFE_HORIZON_SQL = `pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${POSITIONS_PER_TRANSACTION}`;

// Pieces of PL/pgSQL the append functions share, so each rule is written once.

/** The hash before a stream's first event. */
const GENESIS = `'\\x${'00'.repeat(32)}'::bytea`;

/** Refuses an append made after its transaction wrote something (its position would come too late). */
const FIRST_WRITE_ONLY = `IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CN003';
  END IF;`;

/** Refuses more events than a transaction has positions for. */
const EVENT_COUNT = `IF n IS NULL OR n = 0 OR n >= ${POSITIONS_PER_TRANSACTION} THEN
    RAISE EXCEPTION 'an append takes 1 to % events', ${POSITIONS_PER_TRANSACTION} - 1 USING ERRCODE = 'CN004';
  END IF;`;

/** The stream's version and head hash into `v_version` and `v_prev` (0 and the genesis hash when new). */
function readHead(s: string, stream: string, indent = '  '): string {
  return `SELECT h.version, h.head_hash INTO v_version, v_prev FROM ${s}.streams h WHERE h.stream_id = ${stream};
${indent}IF NOT FOUND THEN
${indent}  v_version := 0;
${indent}  v_prev := ${GENESIS};
${indent}END IF;`;
}

/** True when the stream at `v_version` is not where the append expects it. */
function expectationMissed(kind: string, expected: string, indent = '  '): string {
  return `(${kind} = 'version' AND v_version <> ${expected})
${indent}   OR (${kind} = 'no_stream' AND v_version <> 0)
${indent}   OR (${kind} = 'stream_exists' AND v_version = 0)`;
}

/** The next link of the stream's chain (ADR 0002; `eventHash` in hash.ts computes the same bytes). */
function chainStep(digest: string, streamPosition: string, globalPosition: string): string {
  return `sha256(v_prev || ${digest} || int8send(${streamPosition}) || int8send(${globalPosition}) || v_ms)`;
}

/**
 * The append runs as one function call, so an append is one round trip. Why it is shaped this way
 * (docs/adr/0002-gap-safe-global-order.md):
 * - a per-stream advisory lock orders appends to one stream before the transaction gets its id, so a
 *   later append to a stream always has a larger transaction id;
 * - global positions derive from the transaction id, so no shared counter or lock serializes appends,
 *   and a reader that stops below the oldest running transaction can never skip a late commit;
 * - the hash chain is computed here because only here are the previous hash and the positions known.
 */
function initialMigration(schema: string): Migration {
  const s = `"${schema}"`;
  return {
    async up(db: Kysely<unknown>) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of [
        `CREATE SCHEMA IF NOT EXISTS ${s}`,
        `CREATE TABLE ${s}.events (
  global_position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  stream_position bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL,
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
  p_ids uuid[], p_types text[], p_data text[], p_metadata text[], p_digests bytea[],
  OUT next_version bigint, OUT last_position bigint
) LANGUAGE plpgsql AS $$
DECLARE
  n int := cardinality(p_ids);
  v_version bigint;
  v_prev bytea;
  v_base bigint;
  v_hashes bytea[] := '{}';
  v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms bytea;
  i int;
BEGIN
  IF n = 0 OR n >= ${POSITIONS_PER_TRANSACTION} THEN
    RAISE EXCEPTION 'an append takes 1 to % events', ${POSITIONS_PER_TRANSACTION} - 1 USING ERRCODE = 'CN004';
  END IF;
  ${FIRST_WRITE_ONLY}
  PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext(p_stream));

  ${readHead(s, 'p_stream')}
  -- A refused append may be a retry of one already stored; the caller tells the two apart.
  IF ${expectationMissed('p_expected_kind', 'p_expected')} THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'CN001', DETAIL = v_version::text;
  END IF;

  v_base := pg_current_xact_id()::text::bigint * ${POSITIONS_PER_TRANSACTION};
  v_ms := int8send((extract(epoch FROM v_now) * 1000)::bigint);
  FOR i IN 1..n LOOP
    v_prev := ${chainStep('p_digests[i]', 'v_version + i', 'v_base + i')};
    v_hashes[i] := v_prev;
  END LOOP;

  WITH appended AS (
    INSERT INTO ${s}.events
      (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
    SELECT v_base + u.ord, p_stream, v_version + u.ord, u.id, u.type, u.data::json, u.metadata::json, v_now, u.hash
      FROM unnest(p_ids, p_types, p_data, p_metadata, v_hashes) WITH ORDINALITY AS u(id, type, data, metadata, hash, ord)
  )
  INSERT INTO ${s}.streams (stream_id, version, head_hash) VALUES (p_stream, v_version + n, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash;
  next_version := v_version + n;
  last_position := v_base + n;
END $$`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}

/**
 * The append function since migration 0003: the same steps as the first one (see above), with the events
 * passed as four texts and one byte string instead of five arrays. Array literals make the client escape
 * every quote of every JSON payload and the server unescape it again; a JSON array is the payloads joined
 * by commas, and each element comes back out of it as the exact text the digest was computed over.
 * - `p_ids`: the event ids joined by commas (the store checks each is a UUID);
 * - `p_types`, `p_data`, `p_metadata`: JSON arrays, one element per event;
 * - `p_digests`: the 32-byte content digests, one after the other.
 * A one-event append, the commonest, inserts its row directly rather than through a set of rows.
 */
function appendFunction(schema: string): string {
  const s = `"${schema}"`;
  return `CREATE FUNCTION ${s}.append(
  p_stream text, p_expected_kind text, p_expected bigint,
  p_ids text, p_types text, p_data text, p_metadata text, p_digests bytea,
  OUT next_version bigint, OUT last_position bigint
) LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[] := string_to_array(p_ids, ',')::uuid[];
  n int := cardinality(v_ids);
  v_version bigint;
  v_prev bytea;
  v_base bigint;
  v_hashes bytea[] := '{}';
  v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms bytea;
  i int;
BEGIN
  ${EVENT_COUNT}
  IF length(p_digests) <> 32 * n THEN
    RAISE EXCEPTION 'one 32-byte digest per event is needed' USING ERRCODE = '22P02';
  END IF;
  ${FIRST_WRITE_ONLY}
  PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext(p_stream));

  ${readHead(s, 'p_stream')}
  -- A refused append may be a retry of one already stored; the caller tells the two apart.
  IF ${expectationMissed('p_expected_kind', 'p_expected')} THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'CN001', DETAIL = v_version::text;
  END IF;

  v_base := pg_current_xact_id()::text::bigint * ${POSITIONS_PER_TRANSACTION};
  v_ms := int8send((extract(epoch FROM v_now) * 1000)::bigint);
  FOR i IN 1..n LOOP
    v_prev := ${chainStep('substring(p_digests FROM 32 * i - 31 FOR 32)', 'v_version + i', 'v_base + i')};
    v_hashes[i] := v_prev;
  END LOOP;

  IF n = 1 THEN
    INSERT INTO ${s}.events
      (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
    VALUES (v_base + 1, p_stream, v_version + 1, v_ids[1], p_types::json->>0, p_data::json->0,
      p_metadata::json->0, v_now, v_prev);
  ELSE
    INSERT INTO ${s}.events
      (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
    SELECT v_base + u.ord, p_stream, v_version + u.ord, u.id, u.type, u.data, u.metadata, v_now, u.hash
      FROM ROWS FROM (unnest(v_ids), json_array_elements_text(p_types::json),
        json_array_elements(p_data::json), json_array_elements(p_metadata::json), unnest(v_hashes))
        WITH ORDINALITY AS u(id, type, data, metadata, hash, ord);
  END IF;
  INSERT INTO ${s}.streams (stream_id, version, head_hash) VALUES (p_stream, v_version + n, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash;
  next_version := v_version + n;
  last_position := v_base + n;
END $$`;
}

/**
 * Several appends to different streams in one call and one commit (migration 0004). Under concurrent load
 * the store groups appends that are waiting for a connection (`AppendQueue`), so a busy store pays one round
 * trip and one commit for several of them. Each append keeps its own meaning: its own expected version (a
 * miss refuses that append only, reported per row), its own events and stream positions. The ordering rule
 * of ADR 0002 holds because every stream lock is taken before the transaction gets its id, in the order of
 * the locks' own keys (so two groups never wait for each other in a cycle, even when two stream ids share
 * a lock key). The events come as in `append`, concatenated in the order of `p_streams`;
 * `p_counts` says how many belong to each append. One row per append, in order: `ok`, then the stream's
 * version after it (or, refused, the version found) and the position of its last event.
 */
function appendGroupFunction(schema: string): string {
  const s = `"${schema}"`;
  return `CREATE FUNCTION ${s}.append_group(
  p_streams text[], p_kinds text[], p_expected bigint[], p_counts int[],
  p_ids text, p_types text, p_data text, p_metadata text, p_digests bytea
) RETURNS TABLE (ok boolean, version bigint, last_position bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[] := string_to_array(p_ids, ',')::uuid[];
  n int := cardinality(v_ids);
  m int := cardinality(p_streams);
  v_types text[] := ARRAY(SELECT json_array_elements_text(p_types::json));
  v_data json[] := ARRAY(SELECT json_array_elements(p_data::json));
  v_metadata json[] := ARRAY(SELECT json_array_elements(p_metadata::json));
  v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms bytea;
  v_base bigint;
  v_stream text;
  v_version bigint;
  v_prev bytea;
  v_offset int := 0;
  v_placed int := 0;
  v_heads int := 0;
  e_position bigint[];
  e_stream text[];
  e_stream_position bigint[];
  e_hash bytea[];
  e_index int[];
  h_stream text[];
  h_version bigint[];
  h_hash bytea[];
  j int;
  i int;
BEGIN
  ${EVENT_COUNT}
  IF m IS NULL OR cardinality(p_kinds) <> m OR cardinality(p_expected) <> m OR cardinality(p_counts) <> m
     OR (SELECT sum(c) FROM unnest(p_counts) c) <> n OR (SELECT min(c) FROM unnest(p_counts) c) < 1
     OR (SELECT count(DISTINCT st) FROM unnest(p_streams) st) <> m
     OR cardinality(v_types) <> n OR cardinality(v_data) <> n OR cardinality(v_metadata) <> n
     OR length(p_digests) <> 32 * n THEN
    RAISE EXCEPTION 'a group needs distinct streams and one count, type, payload and digest per event'
      USING ERRCODE = '22P02';
  END IF;
  ${FIRST_WRITE_ONLY}
  FOR v_stream IN SELECT st FROM unnest(p_streams) st ORDER BY hashtext(st), st COLLATE "C" LOOP
    PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext(v_stream));
  END LOOP;

  v_base := pg_current_xact_id()::text::bigint * ${POSITIONS_PER_TRANSACTION};
  v_ms := int8send((extract(epoch FROM v_now) * 1000)::bigint);
  FOR j IN 1..m LOOP
    ${readHead(s, 'p_streams[j]', '    ')}
    IF ${expectationMissed('p_kinds[j]', 'p_expected[j]', '    ')} THEN
      ok := false;
      version := v_version;
      last_position := NULL;
    ELSE
      FOR i IN 1..p_counts[j] LOOP
        v_placed := v_placed + 1;
        v_prev := ${chainStep('substring(p_digests FROM 32 * (v_offset + i) - 31 FOR 32)', 'v_version + i', 'v_base + v_placed')};
        e_position[v_placed] := v_base + v_placed;
        e_stream[v_placed] := p_streams[j];
        e_stream_position[v_placed] := v_version + i;
        e_hash[v_placed] := v_prev;
        e_index[v_placed] := v_offset + i;
      END LOOP;
      v_heads := v_heads + 1;
      h_stream[v_heads] := p_streams[j];
      h_version[v_heads] := v_version + p_counts[j];
      h_hash[v_heads] := v_prev;
      ok := true;
      version := v_version + p_counts[j];
      last_position := v_base + v_placed;
    END IF;
    RETURN NEXT;
    v_offset := v_offset + p_counts[j];
  END LOOP;

  IF v_placed > 0 THEN
    INSERT INTO ${s}.events
      (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
    SELECT u.pos, u.st, u.spos, v_ids[u.idx], v_types[u.idx], v_data[u.idx], v_metadata[u.idx], v_now, u.h
      FROM unnest(e_position, e_stream, e_stream_position, e_hash, e_index) AS u(pos, st, spos, h, idx);
    INSERT INTO ${s}.streams (stream_id, version, head_hash)
    SELECT * FROM unnest(h_stream, h_version, h_hash)
      ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash;
  END IF;
END $$`;
}

/**
 * Migration 0005: a stream's head moves only as an append moves it. Deleting or truncating `streams` was
 * refused from the start; an UPDATE or INSERT is now admitted only when it moves the head forward, onto
 * an event stored in that stream at the new version with the new hash, which is what the append
 * functions do (they insert the events first, then the head, in the same statement sequence). So lowering
 * a version, pointing a head at another hash or at no event, or renaming a stream is refused. A superuser
 * can still lift every trigger; `verify` then compares the heads with the chains, and the witnessed log
 * (ADR 0009) catches a rewrite of both.
 *
 * Frozen: this is the SQL as released, only the schema name is filled in. A later change is a new
 * migration.
 */
function streamHeadGuardMigration(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE FUNCTION ${s}.guard_stream_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.stream_id IS DISTINCT FROM OLD.stream_id OR NEW.version <= OLD.version) THEN
    RAISE EXCEPTION 'Concord stream heads move only by appends: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = 'CN011', DETAIL = 'a head only moves forward';
  END IF;
  -- streams.stream_id is COLLATE "C", events.stream_id the database's: without naming one, the two
  -- conflict and the (stream_id, stream_position) key cannot be used (every append would read all events).
  IF NOT EXISTS (SELECT 1 FROM ${s}.events e
      WHERE e.stream_id = NEW.stream_id COLLATE "default" AND e.stream_position = NEW.version
        AND e.hash = NEW.head_hash) THEN
    RAISE EXCEPTION 'Concord stream heads move only by appends: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = 'CN011', DETAIL = 'a head names a stored event of its stream, by version and hash';
  END IF;
  RETURN NEW;
END $$`,
    `CREATE TRIGGER streams_appends_only BEFORE INSERT OR UPDATE ON ${s}.streams
  FOR EACH ROW EXECUTE FUNCTION ${s}.guard_stream_head()`,
  ];
}

/**
 * Migration 0006: the check an append can make of other streams' versions in its own statement (ADR 0043).
 * It takes the appended stream's id (or ids) and hands it back, so that a call to the append function with
 * it as an argument makes the check first. A stream without a row is at version 0. It only reads, so an
 * append after it is still the transaction's first write. The first stream found elsewhere is refused
 * with code CN005, the version found and the stream id (after one space) as the detail.
 *
 * Frozen: this is the SQL as released, only the schema name is filled in.
 */
function expectUnchangedFunction(schema: string): string {
  const s = `"${schema}"`;
  return `CREATE FUNCTION ${s}.expect_unchanged(p_streams text[], p_versions bigint[], p_pass anyelement)
RETURNS anyelement LANGUAGE plpgsql AS $$
DECLARE
  v_stream text;
  v_found bigint;
BEGIN
  IF cardinality(p_streams) IS DISTINCT FROM cardinality(p_versions) THEN
    RAISE EXCEPTION 'one version per stream is needed' USING ERRCODE = '22P02';
  END IF;
  SELECT u.st, coalesce(h.version, 0) INTO v_stream, v_found
    FROM unnest(p_streams, p_versions) AS u(st, v) LEFT JOIN ${s}.streams h ON h.stream_id = u.st
    WHERE coalesce(h.version, 0) <> u.v
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a stream the decision read has moved on' USING ERRCODE = 'CN005',
      DETAIL = v_found::text || ' ' || v_stream;
  END IF;
  RETURN p_pass;
END $$`;
}

/** Creates or upgrades the event store's tables in `schema`. */
export async function migrateEventStore(db: Kysely<unknown>, schema: string): Promise<void> {
  assertSchemaName(schema);
  const migrations: Record<string, Migration> = {
    '0001_events': initialMigration(schema),
    // Every append rewrites its stream's row. With room left on each page the new row version stays on
    // the page (a HOT update): no new entry in the primary key, and old versions are pruned in place.
    '0002_streams_fillfactor': {
      async up(db) {
        await sql.raw(`ALTER TABLE "${schema}".streams SET (fillfactor = 50)`).execute(db);
        // Byte order, whatever the database's collation: listing streams by prefix (LIKE 'member-%')
        // can then use the primary key instead of reading every stream.
        await sql
          .raw(`ALTER TABLE "${schema}".streams ALTER COLUMN stream_id TYPE text COLLATE "C"`)
          .execute(db);
      },
    },
    // Payloads as JSON arrays rather than array literals (see `appendFunction`).
    '0003_append_json_arrays': {
      async up(db) {
        await sql
          .raw(
            `DROP FUNCTION "${schema}".append(text, text, bigint, uuid[], text[], text[], text[], bytea[])`,
          )
          .execute(db);
        await sql.raw(appendFunction(schema)).execute(db);
      },
    },
    '0004_append_group': {
      async up(db) {
        await sql.raw(appendGroupFunction(schema)).execute(db);
      },
    },
    '0005_stream_head_guard': {
      async up(db) {
        for (const statement of streamHeadGuardMigration(schema)) await sql.raw(statement).execute(db);
      },
    },
    '0006_expect_unchanged': {
      async up(db) {
        await sql.raw(expectUnchangedFunction(schema)).execute(db);
      },
    },
  };
  await migrateSchema(db, schema, migrations);
}
