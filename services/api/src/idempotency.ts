import { createHash, randomUUID } from 'node:crypto';
import { idempotencyKey, type RouteContract, type RouteId, routes } from '@concord/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { derivedUuid } from './commands/ids.ts';
import { PROBLEM_CONTENT_TYPE, ProblemError, problemBody } from './errors.ts';
import type { Answer } from './routing.ts';

/** A first request with a key still running after this long is presumed dead and may be taken over. */
const STALE_MS = 30_000;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function keyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
}

/**
 * The `Idempotency-Key` the session's lookup may take for the request (ADR 0043): a well-formed key on a
 * route that keeps its answers.
 */
export function claimableKey(request: FastifyRequest): string | undefined {
  const key = keyOf(request);
  const routeId = (request.routeOptions.config as { routeId?: RouteId } | undefined)?.routeId;
  if (key === undefined || !routeId || !(routes[routeId] as RouteContract).idempotent) return undefined;
  return idempotencyKey.safeParse(key).success ? key : undefined;
}

/**
 * Gives back a key the session's lookup took for a request that never reached its handler (refused by
 * its access check, its schema or a rate limit): such a request changes nothing, and neither does its key.
 */
export async function releaseClaim(request: FastifyRequest): Promise<void> {
  if (!request.idempotencyClaimed || !request.principal) return;
  request.idempotencyClaimed = false;
  await request.server.apiDb
    .deleteFrom('api.idempotency')
    .where('person_id', '=', request.principal.personId)
    .where('key', '=', keyOf(request)!)
    .where('state', '=', 'pending')
    .where('request_hash', '=', '')
    .execute();
}

/**
 * The id of the command a request issues. With an `Idempotency-Key` it is derived from the person and
 * the key, so even a retry whose first attempt died after appending is recognised in the stream.
 */
export function commandIdOf(request: FastifyRequest): string {
  const key = keyOf(request);
  return key && request.principal ? derivedUuid('command', request.principal.personId, key) : randomUUID();
}

/**
 * `Idempotency-Key`: the first request with a key runs and its answer (success or a client error) is
 * stored; a retry with the same key and the same request gets that answer again and changes nothing; the
 * same key with another request is refused. Taken with the session's lookup where it can be, and stored
 * after the append, in a statement of its own (an append must be the first write of its transaction).
 */
export async function withIdempotency(
  request: FastifyRequest,
  reply: FastifyReply,
  routeId: string,
  successStatus: number,
  run: () => Promise<Answer>,
): Promise<Answer | undefined> {
  const key = keyOf(request);
  const principal = request.principal;
  if (key === undefined || !principal) return run();
  const { apiDb: db, clock, metrics } = request.server;
  // Taken with the session (ADR 0043), or taken here. The record is written without waiting for its WAL
  // flush (it is bookkeeping; the events are the truth): a crash may lose the last records, and a retry
  // then runs again, its command recognised in its stream by its id (`commandIdOf`). ADR 0019.
  const claimed = request.idempotencyClaimed;
  request.idempotencyClaimed = false;
  const before = claimed ? null : metrics.commandSteps.startTimer({ step: 'idempotency' });
  const requestHash = createHash('sha256')
    .update(canonical({ routeId, params: request.params, body: request.body }))
    .digest('hex');
  const where = { person_id: principal.personId, key };
  const now = clock();
  const { rows: inserted } = claimed
    ? { rows: [{ key }] }
    : await sql<{ key: string }>`
    WITH lazily AS (SELECT set_config('synchronous_commit', 'off', true) AS value)
    INSERT INTO api.idempotency (person_id, key, request_hash, state, created_at, updated_at)
    SELECT ${where.person_id}::text, ${key}::text, ${requestHash}::text, 'pending', ${now}::timestamptz,
      ${now}::timestamptz FROM lazily
    ON CONFLICT (person_id, key) DO NOTHING RETURNING key`.execute(db);
  if (inserted.length === 0) {
    const row = await db
      .selectFrom('api.idempotency')
      .selectAll()
      .where('person_id', '=', where.person_id)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    // An empty hash: taken with a session, its request not read yet (ADR 0043).
    if (row.request_hash !== '' && row.request_hash !== requestHash)
      throw new ProblemError('IDEMPOTENCY_KEY_REUSED');
    if (row.state === 'done') {
      reply.code(row.status ?? 200).header('idempotent-replayed', 'true');
      const body = typeof row.body === 'string' ? JSON.parse(row.body) : row.body;
      if (row.status === 204 || body === null) return void reply.send();
      if ((row.status ?? 200) >= 400) return void reply.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
      return void reply.send(body);
    }
    const updatedAt = new Date(row.updated_at);
    if (now.getTime() - updatedAt.getTime() < STALE_MS) throw new ProblemError('IDEMPOTENCY_KEY_IN_PROGRESS');
    const taken = await db
      .updateTable('api.idempotency')
      .set({ updated_at: now })
      .where('person_id', '=', where.person_id)
      .where('key', '=', key)
      .where('updated_at', '=', updatedAt)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) throw new ProblemError('IDEMPOTENCY_KEY_IN_PROGRESS');
  }
  before?.();
  const store = async (status: number, body: unknown) => {
    const after = metrics.commandSteps.startTimer({ step: 'idempotency' });
    await sql`
      WITH lazily AS (SELECT set_config('synchronous_commit', 'off', true) AS value)
      UPDATE api.idempotency SET state = 'done', request_hash = ${requestHash}::text, status = ${status}::int,
        body = ${JSON.stringify(body ?? null)}::jsonb, updated_at = ${clock()}::timestamptz
      FROM lazily WHERE person_id = ${where.person_id} AND key = ${key}`.execute(db);
    after();
  };
  try {
    const answer = await run();
    await Promise.all([store(answer.status ?? successStatus, answer.body), answer.settled]);
    return answer;
  } catch (error) {
    const final =
      error instanceof ProblemError &&
      error.status < 500 &&
      error.code !== 'CONCURRENCY_CONFLICT' &&
      error.status !== 429;
    if (final) {
      await store(error.status, problemBody(error, request));
    } else {
      await db
        .deleteFrom('api.idempotency')
        .where('person_id', '=', where.person_id)
        .where('key', '=', key)
        .execute();
    }
    throw error;
  }
}
