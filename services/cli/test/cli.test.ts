import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateApiTables } from '@concord/api/db';
import type { Actor, DomainCommand } from '@concord/domain';
import {
  openPglite,
  openPostgres,
  PostgresEventStore,
  type RecordedEvent,
  verifyEvents,
  verifyExportLines,
} from '@concord/event-store';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import { Random, World } from '@concord/generator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar } from '../../api/test/support/tar.ts';
import { concord, concordProcess } from './support/concord.ts';

/** Runs SQL directly on the embedded database while no CLI run has it open. */
async function withPglite(dataDir: string, statements: string): Promise<void> {
  const { pglite } = await openPglite(join(dataDir, 'pg'));
  try {
    await pglite.exec(statements);
  } finally {
    // Closed here, not through Kysely: Kysely closes PGlite only if it ever queried through it.
    await pglite.close();
  }
}

describe('the concord CLI on an embedded data directory', () => {
  let dataDir: string;
  const env = () => ({ DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-cli-'));
    const generated = await concord(['generate', '--events', '1500', '--seed', '2'], env());
    expect(generated.stderr).not.toContain('concord:');
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain('generated 1500 events');
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('setup-link makes a new one-time link while there is no facilitator, and refuses once there is', async () => {
    const first = await concord(['setup-link'], env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const link = /(http:\/\/localhost:3000\/setup\?token=[A-Za-z0-9_-]{20,})/.exec(first.stdout)?.[1];
    expect(link).toBeDefined();
    const second = await concord(['setup-link'], { ...env(), PUBLIC_URL: 'https://coalition.example.org' });
    expect(second.stdout).toMatch(/https:\/\/coalition\.example\.org\/setup\?token=/);
    expect(second.stdout).not.toContain(link);
    await withPglite(
      dataDir,
      `INSERT INTO auth.people (person_id, email, name, staff_role, created_at)
       VALUES ('f-1', 'f@example.org', 'Facilitator', 'facilitator', now())`,
    );
    const refused = await concord(['setup-link'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has a facilitator');
    await withPglite(dataDir, `DELETE FROM auth.people WHERE person_id = 'f-1'`);
  });

  it('replay reports identical on a freshly generated coalition', async () => {
    const run = await concord(['replay'], env());
    expect(run.stdout).toMatch(/^identical: 1500 events replayed/);
    expect(run.code).toBe(0);
  });

  it('verify prints ok with the head hash', async () => {
    // Through the binary itself, as an operator runs it: a success passes on its output and exit code 0.
    const run = await concordProcess(['verify'], env());
    expect(run.stdout).toMatch(/^ok: 1500 events verified; head position \d+; head hash [0-9a-f]{64}/);
    expect(run.code).toBe(0);
  });

  it('exports every event losslessly as JSON lines, verifiable without the database', async () => {
    const run = await concord(['export', '--format', 'jsonl'], env());
    expect(run.code).toBe(0);
    // Every event, then every stream's recorded head.
    const lines = run.stdout
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('{"streamHead"'));
    expect(lines).toHaveLength(1500);
    expect(await verifyExportLines(run.stdout.trim().split('\n'))).toMatchObject({ ok: true, events: 1500 });
    const events: RecordedEvent[] = lines.map((line) => {
      const event = JSON.parse(line);
      return { ...event, recordedAt: new Date(event.recordedAt) };
    });
    const verified = await verifyEvents(
      (async function* () {
        yield* events;
      })(),
    );
    expect(verified.ok).toBe(true);
    const window = await concord(
      [
        'export',
        '--format',
        'jsonl',
        '--from',
        String(events[10]!.globalPosition),
        '--to',
        String(events[19]!.globalPosition),
      ],
      env(),
    );
    expect(
      window.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).globalPosition),
    ).toEqual(events.slice(10, 20).map((event) => event.globalPosition));
  });

  it('exports the audit trail as CSV', async () => {
    const run = await concord(['export', '--format', 'csv'], env());
    expect(run.code).toBe(0);
    // RFC 4180 lines end in CRLF.
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'position,recorded_at,occurred_at,type,actor_person_id,actor_organization_id,actor_role,organization_id,body,proposal_id,budget_id,line_id,group_id,grant_call_id,summary,stream_id,stream_position,event_id,hash,actor_name',
    );
    expect(lines).toHaveLength(1501);
    expect(lines[1]).toContain('CoalitionFounded');
  });

  it('shows the budget, a proposal and the members as of a position', async () => {
    const jsonl = (await concord(['export', '--format', 'jsonl'], env())).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((line) => !line.streamHead);
    const head = jsonl.at(-1).globalPosition;
    const budget = await concord(['as-of', String(head), 'budget'], env());
    expect(budget.code).toBe(0);
    expect(budget.stdout).toContain('Coalition budget 2024');
    expect(budget.stdout).toMatch(/total\s+USD/);
    const drafted = jsonl.find((event) => event.type === 'ProposalDrafted');
    const proposal = await concord(
      ['as-of', String(head), 'proposal', drafted.data.proposalId, '--json'],
      env(),
    );
    expect(proposal.code).toBe(0);
    expect(JSON.parse(proposal.stdout).proposalId).toBe(drafted.data.proposalId);
    const early = await concord(['as-of', String(drafted.globalPosition), 'members', '--json'], env());
    expect(JSON.parse(early.stdout).members.length).toBe(24);
    const before = await concord(['as-of', '2000-01-01T00:00:00Z', 'budget'], env());
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('did not exist as of 2000-01-01T00:00:00.000Z');
  });

  it('refuses bad arguments with one clear line and exit code 2', async () => {
    const cases = [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['export'], 'export needs --format jsonl, csv or tar'],
      [['export', '--format', 'xml'], 'export needs --format jsonl, csv or tar'],
      [['as-of', 'yesterday', 'budget'], '"yesterday" is neither a global position'],
      [['as-of', '12', 'weather'], 'unknown view "weather"'],
      [['replay', '--bogus'], "Unknown option '--bogus'"],
    ] as const;
    // These fail before the store is opened, so they can run side by side; the first one through the
    // binary itself (its own process), so the entry is seen to pass on the message and the exit code.
    const runs = await Promise.all(
      cases.map(([args], i) => (i === 0 ? concordProcess : concord)([...args], env())),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.stderr).toContain(cases[i]![1]);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code).toBe(2);
    }
  });

  it('says so clearly when the store is unreachable or absent (exit code 3)', async () => {
    // Through the binary itself: a failure to open the store ends its process with exit code 3.
    const refused = await concordProcess(['verify'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(refused.stderr).toMatch(
      /^concord: cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/none/,
    );
    expect(refused.code).toBe(3);
    const missing = await concord(['verify'], { DATA_DIR: join(dataDir, 'nowhere') });
    expect(missing.stderr).toContain('no Concord data in');
    expect(missing.code).toBe(3);
    const storeRefused = await concord(['verify'], {
      EVENTSTORE_URL: 'postgres://postgres:secret@127.0.0.1:1/events',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:2/views',
    });
    expect(storeRefused.stderr).toMatch(
      /^concord: cannot reach the event store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/events/,
    );
    expect(storeRefused.stderr).not.toContain('secret');
    expect(storeRefused.code).toBe(3);
    const unknown = await concord(['verify'], { EVENTSTORE_URL: 'mysql://root:secret@127.0.0.1/events' });
    expect(unknown.stderr).toMatch(
      /EVENTSTORE_URL .*must start with postgres:\/\/, esdb:\/\/ or kurrentdb:\/\//,
    );
    expect(unknown.stderr).not.toContain('secret');
    expect(unknown.code).toBe(3);
  });

  it('replay prints the differing rows when a read model was altered', async () => {
    await withPglite(
      dataDir,
      `UPDATE readmodel.budget_lines SET allocated = allocated + 100 WHERE line_id = 'grants'`,
    );
    const run = await concord(['replay'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DIFFERENT/);
    expect(run.stdout).toContain('budget_lines: live');
    expect(run.stdout).toMatch(/- live only: .*"line_id":"grants"/);
    expect(run.stdout).toMatch(/\+ replay only: .*"line_id":"grants"/);
  });

  it('verify checks every cited document against its bytes, and export --format tar carries them', async () => {
    // A comment citing a document, as a server would have stored both (the bytes in api.attachments).
    const bytes = Buffer.from('%PDF-1.4\n% cited from the CLI test\n%%EOF\n');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { db } = await openPglite(join(dataDir, 'pg'));
    const store = new PostgresEventStore(db);
    try {
      await migrateApiTables(db);
      await sql`insert into api.attachments (sha256, media_type, size, bytes, uploaded_at)
        values (${sha256}, 'application/pdf', ${bytes.length}, ${bytes}, now())`.execute(db);
      let drafted: RecordedEvent | undefined;
      for await (const event of store.allStored()) if (event.type === 'ProposalDrafted') drafted ??= event;
      if (!drafted) throw new Error('the generated history drafted no proposal');
      const { proposalId } = drafted.data as { proposalId: string };
      await store.append(
        drafted.streamId,
        [
          {
            id: randomUUID(),
            type: 'ProposalCommented',
            data: {
              proposalId,
              commentId: randomUUID(),
              text: 'The quote',
              attachments: [{ sha256, mediaType: 'application/pdf', size: bytes.length, restricted: true }],
              personId: 'p-cli',
              organizationId: null,
              at: new Date().toISOString(),
            },
            metadata: {
              commandId: randomUUID(),
              commandType: 'CommentOnProposal',
              causationId: randomUUID(),
              actor: { personId: 'p-cli', organizationId: null, role: 'facilitator' },
              schemaVersion: 1,
            },
          },
        ],
        { expectedVersion: await store.streamVersion(drafted.streamId) },
      );
    } finally {
      await db.destroy();
    }
    const ok = await concord(['verify'], env());
    expect(ok.stdout).toMatch(/^ok: .*; 1 cited documents match their SHA-256\n$/);
    expect(ok.code).toBe(0);

    // The tar is ASCII here (tar headers and a text PDF), so the captured text is its bytes.
    const exported = await concord(['export', '--format', 'tar'], env());
    expect(exported.code).toBe(0);
    const files = await readTar(Buffer.from(exported.stdout, 'utf8'));
    expect(files.get(`attachments/${sha256}`)?.equals(bytes)).toBe(true);
    expect(files.get('events.jsonl')?.toString()).toContain(sha256);

    await withPglite(dataDir, `UPDATE api.attachments SET bytes = '\\x00' WHERE sha256 = '${sha256}'`);
    const altered = await concord(['verify'], env());
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(
      new RegExp(
        `^TAMPERED: 1 cited document missing or altered; first: document ${sha256} does not hash to its SHA-256; cited by ProposalCommented`,
      ),
    );
    await withPglite(dataDir, `DELETE FROM api.attachments WHERE sha256 = '${sha256}'`);
    const missing = await concord(['verify'], env());
    expect(missing.stdout).toContain(`document ${sha256} is missing`);
  });

  it('verify names a forged budget event that cites a real decision, appended with a valid hash', async () => {
    // A database admin appends what the process step would have written, had a decision paid 100,000.
    const { db } = await openPglite(join(dataDir, 'pg'));
    const store = new PostgresEventStore(db);
    let forged: { id: string; position: number; streamId: string; decisionEventId: string };
    try {
      let committed: RecordedEvent | undefined;
      for await (const event of store.allStored()) {
        if (event.type === 'BudgetLineCreated') committed ??= event;
      }
      if (!committed) throw new Error('the generated history opened no budget line');
      const { budgetId, lineId, execution } = committed.data as {
        budgetId: string;
        lineId: string;
        execution: { proposalId: string; decisionEventId: string };
      };
      const id = randomUUID();
      const appended = await store.append(
        committed.streamId,
        [
          {
            id,
            type: 'BudgetLineSpent',
            data: {
              budgetId,
              lineId,
              amount: 10_000_000,
              description: 'Consultancy',
              payeeOrganizationId: null,
              execution,
              decidedByGroupId: null,
              at: new Date().toISOString(),
            },
            metadata: {
              commandId: randomUUID(),
              commandType: 'ExecuteBudgetChange',
              causationId: execution.decisionEventId,
              actor: { personId: 'system:decision-execution', organizationId: null, role: 'system' },
              schemaVersion: 1,
            },
          },
        ],
        { expectedVersion: await store.streamVersion(committed.streamId) },
      );
      forged = {
        id,
        position: appended.lastGlobalPosition,
        streamId: committed.streamId,
        decisionEventId: execution.decisionEventId,
      };
    } finally {
      await db.destroy();
    }
    const run = await concord(['verify'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^TAMPERED: 1 effect of decisions do not match them; /);
    expect(run.stdout).toContain(
      `first bad event: global position ${forged.position} (event ${forged.id}, stream ${forged.streamId}): ` +
        `extra BudgetLineSpent citing decision ${forged.decisionEventId}`,
    );
  });

  it('verify names the first bad event when an event was altered', async () => {
    await withPglite(
      dataDir,
      `BEGIN; SET LOCAL session_replication_role = replica;
       UPDATE eventstore.events SET data = '{"tampered":true}' WHERE global_position = (SELECT global_position FROM eventstore.events ORDER BY global_position OFFSET 100 LIMIT 1);
       COMMIT;`,
    );
    const run = await concord(['verify'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^TAMPERED: first bad event: stream \S+ position \d+ \(global position \d+\): hash_mismatch/,
    );
  });

  it('shows a partnership as of a position: the agreement then, and a round still open before it closed', async () => {
    // The generated coalition has no partnership: one is appended, its agreement changed after a round.
    const agreement = {
      expectations: 'Decisions explained to every member.',
      sharedValues: 'Refugee leadership.',
      roles: 'The coalition leads programme design.',
      accountability: 'A check-in every three months.',
      waysOfWorking: { languages: ['ar', 'en'], channels: 'Calls', rhythm: 'Monthly call' },
    };
    const system: Actor = { role: 'system', personId: 'system:decision-execution', organizationId: null };
    const facilitator: Actor = { role: 'facilitator', personId: 'fac-1', organizationId: null };
    const world = new World(new Random(1), '2026-03-02T09:00:00.000Z');
    const run = (command: Record<string, unknown>) => {
      world.advance(24);
      world.must({ ...command, partnershipId: 'with-relief', now: world.now } as unknown as DomainCommand);
    };
    run({
      type: 'EstablishPartnership',
      actor: system,
      title: 'Coalition and Relief',
      partners: [{ organizationId: 'relief', name: 'Relief', kind: 'ingo' }],
      agreement,
      checkInEveryMonths: 3,
      execution: { proposalId: 'p-establish', decisionEventId: 'd-establish' },
    });
    run({
      type: 'OpenCheckInRound',
      actor: facilitator,
      roundId: 'round-1',
      closesAt: '2026-04-30T00:00:00.000Z',
      pooled: true,
    });
    run({ type: 'CloseCheckInRound', actor: facilitator, roundId: 'round-1' });
    run({
      type: 'ChangePartnershipAgreement',
      actor: system,
      agreement: { ...agreement, accountability: 'A check-in every two months.' },
      checkInEveryMonths: 2,
      execution: { proposalId: 'p-change', decisionEventId: 'd-change' },
    });
    const { db } = await openPglite(join(dataDir, 'pg'));
    const store = new PostgresEventStore(db, { schema: 'eventstore' });
    for (const { streamId, events, expectedVersion } of world.drain(0)) {
      await store.append(streamId, events, { expectedVersion });
    }
    const positions = (await store.readStream('partnership-with-relief')).map(
      (event) => event.globalPosition,
    );
    await db.destroy();

    const opened = await concord(['as-of', String(positions[1]), 'partnership', 'with-relief'], env());
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(
      `Coalition and Relief (with-relief), active, as of position ${positions[1]}`,
    );
    expect(opened.stdout).toContain('agreement version 1, set by proposal p-establish');
    expect(opened.stdout).toContain('accountability: A check-in every three months.');
    expect(opened.stdout).toMatch(/round-1\s+open\s/);
    const changed = await concord(
      ['as-of', String(positions[3]), 'partnership', 'with-relief', '--json'],
      env(),
    );
    expect(changed.code).toBe(0);
    const json = JSON.parse(changed.stdout);
    expect(json.agreement).toMatchObject({ version: 2, proposalId: 'p-change' });
    expect(json.agreement.text.accountability).toBe('A check-in every two months.');
    expect(json.rounds.map((round: { status: string }) => round.status)).toEqual(['closed']);
    const before = await concord(['as-of', String(positions[0]! - 1), 'partnership', 'with-relief'], env());
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('partnership with-relief did not exist as of position');
  });
});

describe.skipIf(!postgresAvailable)(
  'the concord CLI with its events in a separate PostgreSQL (EVENTSTORE_URL)',
  () => {
    let events: TestDatabase;
    let views: TestDatabase;
    const env = () => ({ EVENTSTORE_URL: events.url, DATABASE_URL: views.url });

    beforeAll(async () => {
      [events, views] = await Promise.all([
        createTestDatabase('concord_cli_events'),
        createTestDatabase('concord_cli_views'),
      ]);
    });
    afterAll(async () => {
      await Promise.all([events?.drop(), views?.drop()]);
    });

    it('generates, projects, replays and verifies with the events in one database and the views in another', async () => {
      const generated = await concord(['generate', '--events', '400', '--seed', '5'], env());
      expect(generated.stderr).not.toContain('concord:');
      expect(generated.code).toBe(0);
      const projected = await concord(['project'], env());
      expect(projected.code).toBe(0);
      const replayed = await concord(['replay'], env());
      expect(replayed.stdout).toMatch(/^identical: 400 events replayed/);
      const verified = await concord(['verify'], env());
      expect(verified.stdout).toMatch(/^ok: 400 events verified/);
      expect(verified.code).toBe(0);

      // The events are where EVENTSTORE_URL points, the read models where DATABASE_URL points, and only there.
      const count = async (url: string, table: string) => {
        const db = openPostgres(url, 1);
        try {
          const { rows } = await sql<{
            name: string | null;
          }>`select to_regclass(${table})::text as name`.execute(db);
          if (!rows[0]?.name) return null;
          const counted = await sql<{ count: string }>`select count(*) from ${sql.raw(table)}`.execute(db);
          return Number(counted.rows[0]!.count);
        } finally {
          await db.destroy();
        }
      };
      expect(await count(events.url, 'eventstore.events')).toBe(400);
      expect(await count(views.url, 'eventstore.events')).toBeNull();
      expect(await count(views.url, 'readmodel.audit_trail')).toBe(400);
      expect(await count(events.url, 'readmodel.audit_trail')).toBeNull();
    });
  },
);
