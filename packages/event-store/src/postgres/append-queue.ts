import type pg from 'pg';

/** Runs one statement and answers its rows: on a `pg` pool (a named prepared statement) or on Kysely. */
export type RunStatement = <Row>(statement: {
  name: string;
  text: string;
  values: unknown[];
}) => Promise<Row[]>;

/** `RunStatement` on a `pg` pool. */
export function poolRunner(pool: pg.Pool): RunStatement {
  return async <Row>(statement: { name: string; text: string; values: unknown[] }) =>
    (await pool.query(statement)).rows as Row[];
}

/** One append, its parameters ready for the append function (postgres/schema.ts). */
export interface AppendCall {
  streamId: string;
  kind: string;
  version: number;
  ids: string[];
  types: string[];
  data: string[];
  metadata: string[];
  digests: Buffer;
  /** Other streams that must still be at these versions (ADR 0043); none when empty. */
  unchanged: { streamIds: string[]; versions: number[] };
}

/** What the append function answers. */
export interface AppendRow {
  next_version: string | number;
  last_position: string | number;
}

/**
 * The append function's call (postgres/schema.ts, `appendFunction`); with `checked`, its stream id is
 * passed through `expect_unchanged` first, with the other streams' versions as $9 and $10 (ADR 0043).
 */
export function appendStatement(schema: string, checked: boolean): string {
  const stream = checked ? `"${schema}".expect_unchanged($9::text[], $10::bigint[], $1::text)` : '$1';
  return `select next_version, last_position from "${schema}".append(${stream}, $2, $3, $4::text, $5::text, $6::text, $7::text, $8::bytea)`;
}

/** Whether an append checks other streams' versions. */
export const isChecked = (call: AppendCall): boolean => call.unchanged.streamIds.length > 0;

/** The append function's parameters for one append. */
export function appendValues(call: AppendCall): unknown[] {
  const values = [
    call.streamId,
    call.kind,
    call.version,
    call.ids.join(','),
    JSON.stringify(call.types),
    `[${call.data.join(',')}]`,
    `[${call.metadata.join(',')}]`,
    call.digests,
  ];
  return isChecked(call) ? [...values, call.unchanged.streamIds, call.unchanged.versions] : values;
}

interface Waiting {
  call: AppendCall;
  resolve(row: AppendRow): void;
  reject(error: unknown): void;
}

/** The most appends one group call carries (and at most 999 events in all, the function's limit). */
const GROUP_LIMIT = 64;
const EVENTS_LIMIT = 999;

/**
 * Appends grouped under load, on a `pg` pool or on PGlite. While fewer than `inFlight` calls are running, an
 * append goes out at once on its own. Beyond that it waits, and when a call returns, the waiting appends (to
 * distinct streams) go out together as one `append_group` call: one round trip and one commit for all of
 * them, which is where a busy store's time goes. A refused expectation comes back per append, as the
 * single call raises it (code CN001, the version found as detail). If a group call fails as a whole (an
 * event id stored before, say), its appends are made again one by one, so each gets the answer it would
 * have had alone.
 *
 * On PGlite (one connection, `inFlight` 1) this is also how concurrent commands share a WAL flush: every
 * commit is synced to disk (ADR 0010), and the appends that arrived while one commit was being synced go
 * out together as the next one.
 */
export class AppendQueue {
  readonly #waiting: Waiting[] = [];
  #running = 0;

  constructor(
    readonly run: RunStatement,
    readonly schema: string,
    readonly inFlight: number,
  ) {}

  submit(call: AppendCall): Promise<AppendRow> {
    if (this.#running < this.inFlight) return this.#run(() => this.#single(call));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ call, resolve, reject });
    });
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#next();
    }
  }

  #next(): void {
    while (this.#waiting.length > 0 && this.#running < this.inFlight) {
      const group = this.#takeGroup();
      if (group.length === 1) {
        const [one] = group;
        this.#run(() => this.#single(one!.call)).then(one!.resolve, one!.reject);
      } else {
        this.#run(() => this.#group(group)).catch(() => {});
      }
    }
  }

  /**
   * The oldest waiting appends to distinct streams, within the group limits; the rest keep their place. An
   * append that checks a stream another in the group appends to (or the other way round) waits for a later
   * group: the group's checks are made before its appends, so it would be judged on what the group changes.
   */
  #takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const streams = new Set<string>();
    const checked = new Set<string>();
    let events = 0;
    for (let i = 0; i < this.#waiting.length && group.length < GROUP_LIMIT; ) {
      const waiting = this.#waiting[i]!;
      const { streamId, unchanged } = waiting.call;
      const size = waiting.call.ids.length;
      if (
        streams.has(streamId) ||
        checked.has(streamId) ||
        unchanged.streamIds.some((id) => streams.has(id)) ||
        (group.length > 0 && events + size > EVENTS_LIMIT)
      ) {
        i++;
        continue;
      }
      streams.add(streamId);
      for (const id of unchanged.streamIds) checked.add(id);
      events += size;
      group.push(waiting);
      this.#waiting.splice(i, 1);
    }
    return group;
  }

  /** One append alone, as a named prepared statement: parsed and planned once per connection. */
  async #single(call: AppendCall): Promise<AppendRow> {
    const checked = isChecked(call);
    const rows = await this.run<AppendRow>({
      name: `concord-append-${checked ? 'checked-' : ''}${this.schema}`,
      text: appendStatement(this.schema, checked),
      values: appendValues(call),
    });
    return rows[0]!;
  }

  async #group(group: Waiting[]): Promise<void> {
    const calls = group.map((waiting) => waiting.call);
    // The group's checks, all made first: a stream checked by two appends at two versions fails the group,
    // and each append then gets its own answer alone.
    const checks = calls.flatMap((call) =>
      call.unchanged.streamIds.map((id, i) => [id, call.unchanged.versions[i]!] as const),
    );
    const streams =
      checks.length > 0
        ? `"${this.schema}".expect_unchanged($10::text[], $11::bigint[], $1::text[])`
        : '$1::text[]';
    let rows: { ok: boolean; version: string; last_position: string | null }[];
    try {
      rows = await this.run({
        name: `concord-append-group-${checks.length > 0 ? 'checked-' : ''}${this.schema}`,
        text: `select ok, version, last_position from "${this.schema}".append_group(${streams}, $2::text[], $3::bigint[], $4::int[], $5::text, $6::text, $7::text, $8::text, $9::bytea)`,
        values: [
          calls.map((call) => call.streamId),
          calls.map((call) => call.kind),
          calls.map((call) => call.version),
          calls.map((call) => call.ids.length),
          calls.map((call) => call.ids.join(',')).join(','),
          JSON.stringify(calls.flatMap((call) => call.types)),
          `[${calls.map((call) => call.data.join(',')).join(',')}]`,
          `[${calls.map((call) => call.metadata.join(',')).join(',')}]`,
          Buffer.concat(calls.map((call) => call.digests)),
          ...(checks.length > 0 ? [checks.map(([id]) => id), checks.map(([, version]) => version)] : []),
        ],
      });
    } catch {
      // The group's transaction did not commit (or, the connection lost after the commit, did): either
      // way each append made again on its own gets its true answer, a repeat being known by its event ids.
      await Promise.all(
        group.map((waiting) => this.#single(waiting.call).then(waiting.resolve, waiting.reject)),
      );
      return;
    }
    if (rows.length !== group.length) {
      const error = new Error(`append_group answered ${rows.length} rows for ${group.length} appends`);
      for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, i) => {
      const row = rows[i]!;
      if (row.ok) waiting.resolve({ next_version: row.version, last_position: row.last_position! });
      else
        waiting.reject(
          Object.assign(new Error('wrong expected version'), { code: 'CN001', detail: row.version }),
        );
    });
  }
}
