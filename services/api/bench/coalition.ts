// A real Concord server for the benchmarks: PGlite in a temporary directory (the embedded default), or
// with `--postgres` a fresh database on the local PostgreSQL (TEST_DATABASE_URL); listening on a free
// port, with a founded coalition, one representative per organization and open proposals.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '@concord/domain';
import { openPglite, openPostgres, PostgresEventStore } from '@concord/event-store';
import { createTestDatabase } from '@concord/event-store/testing';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { CommandDraft } from '../src/commands/context.ts';
import { buildServer, type ServerDependencies } from '../src/server.ts';

export interface BenchCoalition {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  origin: string;
  database: 'pglite' | 'postgresql';
  representatives: { personId: string; organizationId: string; token: string }[];
  proposals: string[];
  /** A new session for representative `index` (each socket gets its own, as browsers would). */
  session(index: number): Promise<string>;
  close(): Promise<void>;
}

export async function benchCoalition(options: {
  organizations: number;
  proposals: number;
  postgres?: boolean;
  server?: Partial<ServerDependencies>;
}): Promise<BenchCoalition> {
  let db: Kysely<unknown>;
  let cleanup: () => Promise<void>;
  if (options.postgres) {
    const database = await createTestDatabase('concord_bench_api');
    db = openPostgres(database.url, 20);
    cleanup = () => database.drop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'concord-bench-'));
    db = (await openPglite(join(dir, 'pg'))).db;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const store = new PostgresEventStore(db);
  await store.migrate();
  const app = await buildServer({
    store,
    db,
    logger: false,
    passwordCost: { memoryCost: 64, timeCost: 1 },
    schedulerIntervalMs: 3_600_000,
    ...options.server,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { bus, auth, clock } = app.concord;
  const now = () => clock().toISOString();
  const run = async (draft: CommandDraft) => {
    const outcome = await bus.execute(draft, { commandId: randomUUID(), correlationId: 'bench-setup' });
    if (!outcome.ok) throw new Error(`${draft.type} refused: ${outcome.error.code}`);
  };
  const settle = async () => {
    await app.processes.execution.waitFor(await store.head());
    await app.concord.readSide?.waitFor(await store.head(), 60_000);
  };

  const facilitatorRow = await auth.createPerson({
    email: 'facilitator@bench.example',
    name: 'Facilitator',
    staffRole: 'facilitator',
  });
  const facilitator: Actor = {
    role: 'facilitator',
    personId: facilitatorRow.person_id,
    organizationId: null,
  };
  const organizationIds = Array.from({ length: options.organizations }, (_, index) => `org-${index}`);
  await run({
    type: 'FoundCoalition',
    actor: facilitator,
    now: now(),
    coalitionName: 'Bench coalition',
    rules: {
      quorum: { numerator: 2, denominator: 3 },
      minimumFeedbackHours: 168,
      urgentPath: null,
      blockFallback: null,
    },
    sharedValues: ['Equal voice'],
    sops: [],
    foundingMembers: organizationIds.map((organizationId, index) => ({
      organizationId,
      name: `Org ${index}`,
    })),
  });
  await settle();
  const representatives: BenchCoalition['representatives'] = [];
  for (const organizationId of organizationIds) {
    const person = await auth.createPerson({
      email: `rep-${organizationId}@bench.example`,
      name: organizationId,
    });
    const personId = person.person_id;
    await run({
      type: 'InviteRepresentative',
      actor: facilitator,
      now: now(),
      organizationId,
      personId,
      name: 'Rep',
    });
    const actor: Actor = { role: 'representative', personId, organizationId };
    await run({ type: 'AcceptRepresentation', actor, now: now(), organizationId });
    await auth.setOrganization(personId, organizationId);
    representatives.push({
      personId,
      organizationId,
      token: (await auth.createSession(personId, 'bench')).token,
    });
  }
  const proposals: string[] = [];
  for (let index = 0; index < options.proposals; index++) {
    const proposalId = `proposal-${index}`;
    const actor: Actor = {
      role: 'representative',
      personId: representatives[0]!.personId,
      organizationId: representatives[0]!.organizationId,
    };
    await run({
      type: 'DraftProposal',
      actor,
      now: now(),
      proposalId,
      title: `Procedure ${index}`,
      body: 'How we meet.',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: null,
        adoptSops: [{ sopId: `sop-${index}`, title: 'Meetings', text: 'Monthly.' }],
        retireSopIds: [],
      },
    });
    await run({ type: 'OpenProposal', actor, now: now(), proposalId, urgentReason: null });
    proposals.push(proposalId);
  }
  await settle();
  const port = (app.server.address() as AddressInfo).port;
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    database: options.postgres ? 'postgresql' : 'pglite',
    representatives,
    proposals,
    async session(index) {
      const rep = representatives[index % representatives.length]!;
      return (await auth.createSession(rep.personId, 'bench')).token;
    },
    async close() {
      await app.close();
      await store.close();
      await db.destroy();
      await cleanup();
    },
  };
}

/** The q-quantile of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (value: number) => Math.round(value * 100) / 100;
