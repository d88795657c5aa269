import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkpointJsonLine,
  contentDigest,
  eventHash,
  openPostgres,
  PostgresEventStore,
} from '@concord/event-store';
import { createTestDatabase, postgresAvailable } from '@concord/event-store/testing';
import { exportEventsJsonl } from '@concord/projections';
import {
  Ed25519Signer,
  nodeCrypto,
  parseCheckpoint,
  parseNote,
  verifyCheckpoint,
} from '@concord/transparency';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { forgedSpending } from '../../api/test/support/forgery.ts';
import { ORG, type PrincipalName, testApp, testTransparency, World } from '../../api/test/support/world.ts';
import { restore } from '../src/commands/backup.ts';
import { exportEvents } from '../src/commands/export.ts';
import { verify } from '../src/commands/verify.ts';
import { verifyOffline } from '../src/commands/verify-offline.ts';
import { newWitnessKey, witness } from '../src/commands/witness.ts';
import { openTarget } from '../src/context.ts';
import { tempFolders } from './support/temp.ts';

/**
 * The witnessed log end to end (issue 11, ADR 0009): the server's key and checkpoints, member
 * organizations' witnesses (`concord witness`) over real HTTP, a fork and a rollback they refuse, and an
 * auditor's offline check of an export against a cosigned checkpoint.
 */

const { temp, removeAll: removeTemp } = tempFolders();
const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close().catch(() => {});
  removeTemp();
});

/** Collects what a command writes. */
function sink() {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

/** A world serving real HTTP on a loopback port. */
async function serving(world: World): Promise<string> {
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  const address = world.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

async function sessionOf(world: World, name: PrincipalName): Promise<string> {
  const person = world.people.get(name)!;
  return (await world.app.auth.createSession(person.personId, 'witness')).token;
}

/** A witness of organization A: its key file (made by `concord witness --new-key`) and state file. */
function witnessOf(name: string) {
  const dir = temp('witness');
  const keyFile = join(dir, 'witness.key');
  const out = sink();
  expect(newWitnessKey(keyFile, name, out)).toBe(0);
  const verifierKey = out.text.trim().split('\n').at(-1)!;
  return { keyFile, stateFile: join(dir, 'state.json'), verifierKey };
}

/** Registers a witness key for organization A over HTTP, as its representative. */
async function register(world: World, verifierKey: string) {
  const response = await world.request('repA', 'POST', `/api/members/${ORG.A}/witness-keys`, {
    witnessKey: verifierKey,
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** One `concord witness` round against a server. */
async function runWitness(
  url: string,
  w: ReturnType<typeof witnessOf>,
  logKey: string,
  session: string,
  now = 1_800_000_000,
) {
  const out = sink();
  const err = sink();
  const code = await witness(
    {
      url,
      keyFile: w.keyFile,
      stateFile: w.stateFile,
      logKey,
      env: { CONCORD_SESSION: session },
      now: () => now,
    },
    out,
    err,
  );
  return { code, out: out.text, err: err.text };
}

/**
 * One coalition for the whole file (seeding one costs seconds), with a clock the tests move and a fixed
 * instance key, serving real HTTP. The last test stops it and restarts from an older backup, on disk.
 */
let now = Date.parse('2026-12-02T10:00:00Z');
const transparency = { ...testTransparency(), minGapMs: 60_000, pollIntervalMs: 20 };
let shared: { world: World; url: string } | undefined;
async function coalition() {
  if (!shared) {
    const world = await World.create({ clock: () => new Date(now), transparency, byDecision: true });
    closing.push(() => world.close());
    shared = { world, url: await serving(world) };
  }
  return shared;
}
const eventCount = async (world: World) => (await world.t.store.readAll({ after: 0, limit: 100_000 })).length;

describe('the server keeps a witnessed log', () => {
  it('publishes its key as an event once, and signs checkpoints as events arrive, at most one per gap by its clock, and on demand', async () => {
    const { world } = await coalition();
    const { signer } = transparency;
    const log = world.app.witnessedLog!;
    const published = (await world.t.store.readStream('log')).map((e) => ({ type: e.type, data: e.data }));
    expect(published).toEqual([
      {
        type: 'LogKeyPublished',
        data: {
          keyName: 'concord.test/coalition',
          publicKey: signer.verifierKey,
          replaces: null,
          at: new Date(now).toISOString(),
        },
      },
    ]);
    // Started again with the same key: nothing new is recorded.
    expect(
      (await world.app.commandBus.execute(
        { type: 'PublishLogKey', actor: world.system(), now: world.now(), publicKey: signer.verifierKey },
        { commandId: crypto.randomUUID(), correlationId: 'test' },
      )) as { ok: boolean; result?: { events: unknown[] } },
    ).toMatchObject({ ok: true, result: { events: [] } });

    // The first checkpoint was signed as soon as the feeder logged anything; then none for a minute.
    await world.settle();
    await log.tick();
    const events = () => eventCount(world);
    const early = (await log.checkpoint())!;
    expect(early.size).toBeLessThan(await events());
    now += 60_000;
    await log.tick();
    const first = (await log.checkpoint())!;
    expect(first.size).toBe(await events());
    const opened = await verifyCheckpoint(first.note, { logKey: signer.verifierKey, crypto: nodeCrypto });
    expect(opened.checkpoint.origin).toBe('concord.test/coalition');

    // New events within the gap: logged, not yet signed; a minute later by the clock: signed.
    await world.draft('repA');
    await log.tick();
    expect((await log.checkpoint())!.size).toBe(first.size);
    expect(log.log.size).toBe(await events());
    now += 60_000;
    await log.tick();
    expect((await log.checkpoint())!.size).toBe(await events());

    // On demand, over HTTP: a representative asks; an auditor may read but not ask.
    await world.draft('repB');
    const asked = await world.request('repB', 'POST', '/api/log/checkpoints', {});
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().size).toBe(await events());
    expect((await world.request('auditor', 'POST', '/api/log/checkpoints', {})).statusCode).toBe(403);
    const text = await world.request('auditor', 'GET', '/api/log/checkpoint');
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe(asked.json().note);

    // Proofs: an event's inclusion, and consistency between two checkpoints, checked by the client side.
    const [event] = await world.t.store.readAll({ after: 0, limit: 1 });
    const inclusion = await world.request(
      'auditor',
      'GET',
      `/api/log/proofs/inclusion?position=${event!.globalPosition}`,
    );
    expect(inclusion.json()).toMatchObject({ index: 0, size: asked.json().size });
    const consistency = await world.request(
      'auditor',
      'GET',
      `/api/log/proofs/consistency?from=${first.size}`,
    );
    expect(consistency.statusCode).toBe(200);
    const beyond = await world.request(
      'auditor',
      'GET',
      `/api/log/proofs/consistency?from=${first.size}&to=999999`,
    );
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().code).toBe('PROOF_OUT_OF_RANGE');
  }, 120_000);
});

describe('concord witness over HTTP, and an auditor offline', () => {
  it('cosigns, the log shows which organization cosigned when, and an export verifies offline — and fails with the reason on each tampered copy', async () => {
    const { world, url } = await coalition();
    const log = world.app.witnessedLog!;
    const w = witnessOf('witness.org-a.example');
    await register(world, w.verifierKey);
    // A key nobody registered, and a revoked one, are refused by the server.
    const stranger = witnessOf('witness.stranger.example');

    await world.settle();
    await log.checkpointNow();
    const session = await sessionOf(world, 'repA');
    const first = await runWitness(url, w, log.logKey, session);
    expect(first, first.err).toMatchObject({ code: 0 });
    expect(first.out).toMatch(
      /^cosigned: concord\.test\/coalition size \d+ root .+ \(first checkpoint seen\)/,
    );

    await world.draft('repA');
    await world.settle();
    await log.checkpointNow();
    const second = await runWitness(url, w, log.logKey, session, 1_800_000_060);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/consistent with size \d+/);

    const state = (await world.request('auditor', 'GET', '/api/log')).json();
    expect(state.cosignatures).toEqual([
      {
        organizationId: ORG.A,
        keyName: 'witness.org-a.example',
        size: (await log.checkpoint())!.size,
        cosignedAt: new Date(1_800_000_060 * 1000).toISOString(),
        receivedAt: expect.any(String),
      },
    ]);
    expect(state.witnessKeys).toEqual([
      { organizationId: ORG.A, keyName: 'witness.org-a.example', witnessKey: w.verifierKey },
    ]);
    expect(state.logKeys).toEqual([log.logKey]);
    const note = (await world.request('auditor', 'GET', '/api/log/checkpoint')).body;
    expect(parseNote(note).signatures.map((s) => s.name)).toEqual([
      'concord.test/coalition',
      'witness.org-a.example',
    ]);

    // Bad cosignatures get a clear 4xx and change nothing.
    const before = { events: await eventCount(world), note };
    const latest = (await log.checkpoint())!;
    const own = readFileSync(w.keyFile, 'utf8');
    const key = Ed25519Signer.fromKeyString(own);
    const post = (who: PrincipalName, body: unknown) =>
      world.request(who, 'POST', '/api/log/cosignatures', body);
    const otherText = `${parseNote(latest.note).text.split('\n')[0]}\n1\n${'A'.repeat(43)}=\n`;
    const refusals = [
      [
        post('repA', { size: latest.size, cosignature: key.cosignatureLine(otherText, 1) }),
        422,
        'COSIGNATURE_INVALID',
      ],
      [
        post('repA', { size: 999_999, cosignature: key.cosignatureLine(parseNote(latest.note).text, 1) }),
        404,
        'CHECKPOINT_NOT_FOUND',
      ],
      [
        post('repB', { size: latest.size, cosignature: key.cosignatureLine(parseNote(latest.note).text, 1) }),
        403,
        'NOT_YOUR_ORGANIZATION',
      ],
      [
        post('facilitator', {
          size: latest.size,
          cosignature: key.cosignatureLine(parseNote(latest.note).text, 1),
        }),
        403,
        'NOT_YOUR_ORGANIZATION',
      ],
      [
        post('repA', { size: latest.size, cosignature: `\u2014 x ${'A'.repeat(5_000)}` }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [post('repA', { size: latest.size, cosignature: 'not a line' }), 400, 'VALIDATION_FAILED'],
      [
        world.request('repA', 'POST', `/api/members/${ORG.A}/witness-keys`, {
          witnessKey: w.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
        }),
        422,
        'WITNESS_KEY_INVALID',
      ],
    ] as const;
    for (const [response, status, code] of refusals) {
      const answer = await response;
      expect(answer.statusCode, answer.body).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json().code).toBe(code);
    }
    expect(await eventCount(world)).toBe(before.events);
    expect((await world.request('auditor', 'GET', '/api/log/checkpoint')).body).toBe(before.note);

    const strangerRun = await runWitness(url, stranger, log.logKey, session);
    expect(strangerRun.code).toBe(1);
    expect(strangerRun.err).toMatch(/refused the cosignature \(403: .*no member organization has registered/);
    const revoked = await world.request('repA', 'POST', `/api/members/${ORG.A}/witness-keys/revocations`, {
      witnessKey: w.verifierKey,
      reason: 'Test',
    });
    expect(revoked.statusCode).toBe(200);
    const afterRevocation = await runWitness(url, w, log.logKey, session);
    expect(afterRevocation.err).toMatch(/403/);
    await register(world, w.verifierKey);
    await log.checkpointNow();
    expect((await runWitness(url, w, log.logKey, session, 1_800_000_120)).code).toBe(0);

    // The export: every event, the stream heads, and last the cosigned checkpoint.
    const exported = await world.request('auditor', 'GET', '/api/export?format=jsonl');
    expect(exported.statusCode).toBe(200);
    const lines = exported.body.trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    expect(parseNote(last.checkpoint).signatures).toHaveLength(2);
    const dir = temp('audit');
    const keys = join(dir, 'trusted-keys');
    writeFileSync(keys, `# the log, then organization A's witness\n${log.logKey}\n${w.verifierKey}\n`);
    const check = async (
      body: string[],
      options: { witnesses?: number; checkpoint?: string; allowUnwitnessed?: boolean } = {},
    ) => {
      const file = join(dir, `export-${Math.random().toString(36).slice(2)}.jsonl`);
      writeFileSync(file, `${body.join('\n')}\n`);
      let checkpointFile: string | undefined;
      if (options.checkpoint) {
        checkpointFile = `${file}.checkpoint`;
        writeFileSync(checkpointFile, options.checkpoint);
      }
      const out = sink();
      const code = await verifyOffline(
        {
          exportFile: file,
          trustedKeysFile: keys,
          witnesses: options.witnesses ?? 1,
          checkpointFile,
          allowUnwitnessed: options.allowUnwitnessed,
        },
        out,
      );
      return { code, text: out.text };
    };
    const clean = await check(lines);
    expect(clean, clean.text).toMatchObject({ code: 0 });
    expect(clean.text).toMatch(
      /^ok: \d+ events and \d+ stream heads verified; .* cosigned by witness\.org-a\.example at 2027-01-15T08:02:00\.000Z; \d+ effects of [1-9]\d* adopted decisions match them\n$/,
    );
    // More witnesses asked for than keys trusted: a usage error (exit 2), not a verdict.
    await expect(check(lines, { witnesses: 2 })).rejects.toMatchObject({ exitCode: 2 });
    const quorum = await check(lines, { checkpoint: signedOnly(last.checkpoint) });
    expect(quorum.text).toMatch(/^FAILED: checkpoint: 0 of the 1 witness cosignatures needed verified/);

    const eventLines = lines.filter((l) => l.startsWith('{"globalPosition"'));
    const headLines = lines.filter((l) => l.startsWith('{"streamHead"'));
    const checkpointLine = lines.at(-1)!;
    const events = eventLines.map((l) => JSON.parse(l));
    const asLine = (e: Record<string, unknown>) => JSON.stringify(e);
    /** The stream's events from `from` on, re-chained after `change` (what a DB admin with the algorithm does). */
    const rechain = (list: Record<string, unknown>[], streamId: string) => {
      let previous: Buffer = Buffer.alloc(32);
      for (const e of list) {
        if (e.streamId !== streamId) continue;
        const digest = contentDigest({
          streamId: e.streamId as string,
          id: e.id as string,
          type: e.type as string,
          dataJson: JSON.stringify(e.data),
          metadataJson: JSON.stringify(e.metadata),
        });
        previous = eventHash(previous, digest, {
          streamPosition: e.streamPosition as number,
          globalPosition: e.globalPosition as number,
          recordedAtMs: Date.parse(e.recordedAt as string),
        });
        e.hash = previous.toString('hex');
      }
      return previous.toString('hex');
    };
    const withHeads = (list: Record<string, unknown>[]) => {
      const heads = new Map<string, { version: number; hash: string }>();
      for (const e of list)
        heads.set(e.streamId as string, { version: e.streamPosition as number, hash: e.hash as string });
      return headLines.map((line) => {
        const { streamHead } = JSON.parse(line);
        const head = heads.get(streamHead.streamId);
        return head ? asLine({ streamHead: { streamId: streamHead.streamId, ...head } }) : line;
      });
    };
    const victim = events.find((e) => e.type === 'ProposalDrafted')!;

    // 1. An altered payload, its hash left as it was: the chain names it.
    const altered = events.map((e) => (e === victim ? { ...e, data: { ...e.data, title: 'Changed' } } : e));
    const one = await check([...altered.map(asLine), ...headLines, checkpointLine]);
    expect(one.code).toBe(1);
    expect(one.text).toMatch(
      new RegExp(`^FAILED: chain: hash_mismatch at stream ${victim.streamId} position 1`),
    );

    // 2. The same, with every later hash of its stream and its head recomputed: only the log shows it.
    const rehashed = structuredClone(altered);
    rechain(rehashed, victim.streamId);
    const two = await check([...rehashed.map(asLine), ...withHeads(rehashed), checkpointLine]);
    expect(two.text).toMatch(
      /^FAILED: log: root mismatch against checkpoint concord\.test\/coalition size \d+: the first \d+ events make root/,
    );

    // 3. A stream's last event removed and its head rewritten to the one before: the log shows it.
    const cut = events.slice(0, -1);
    const three = await check([...cut.map(asLine), ...withHeads(cut), checkpointLine]);
    expect(three.code).toBe(1);
    expect(three.text).toMatch(
      /^FAILED: log: events missing against checkpoint .* size \d+: \d+ events, the checkpoint covers \d+/,
    );

    // 4. Two events of different streams swapped in the order.
    const swapped = [...events];
    const at = swapped.findIndex((e, i) => i > 0 && e.streamId !== swapped[i - 1].streamId);
    [swapped[at - 1], swapped[at]] = [swapped[at], swapped[at - 1]];
    const four = await check([...swapped.map(asLine), ...headLines, checkpointLine]);
    expect(four.code).toBe(1);
    expect(four.text).toMatch(/^FAILED: (chain: order|log: root mismatch)/);

    // 5. A forged event with a valid hash, appended after the last checkpoint: no witness has seen it.
    const lastOfVictim = [...events].reverse().find((e) => e.streamId === victim.streamId)!;
    const forged = {
      ...lastOfVictim,
      id: crypto.randomUUID(),
      type: 'ProposalCommented',
      streamPosition: lastOfVictim.streamPosition + 1,
      globalPosition: events.at(-1)!.globalPosition + 1000,
      data: { ...lastOfVictim.data, text: 'Forged' },
    };
    const appended = [...structuredClone(events), forged];
    rechain(appended, victim.streamId);
    const five = await check([...appended.map(asLine), ...withHeads(appended), checkpointLine]);
    expect(five.code).toBe(1);
    expect(five.text).toMatch(
      /^FAILED: unwitnessed: the export's last 1 event\(s\) come after checkpoint .* size \d+: no witness has seen them/,
    );
    expect(five.text).not.toMatch(/root/);

    // 6. A forged effect with a valid hash: USD 100,000 spent "on behalf of" a decision that was never
    // taken, on a stream of its own, its head line added. The auditor who accepts the unwitnessed tail
    // still finds it: recomputing the effects from the decisions names it.
    const decisionEventId = crypto.randomUUID();
    const budgetStream = `budget-${crypto.randomUUID()}`;
    const forgedEffect = {
      ...forgedSpending({
        budgetId: budgetStream.slice('budget-'.length),
        decisionEventId,
        at: events.at(-1)!.recordedAt,
        payeeOrganizationId: ORG.B,
      }),
      globalPosition: events.at(-1)!.globalPosition + 1000,
      streamId: budgetStream,
      streamPosition: 1,
      recordedAt: events.at(-1)!.recordedAt,
      hash: '',
    };
    const withEffect = [...structuredClone(events), forgedEffect];
    const effectHead = rechain(withEffect, budgetStream);
    const six = await check(
      [
        ...withEffect.map(asLine),
        ...headLines,
        asLine({ streamHead: { streamId: budgetStream, version: 1, hash: effectHead } }),
        checkpointLine,
      ],
      { allowUnwitnessed: true },
    );
    expect(six.code, six.text).toBe(1);
    expect(six.text).toMatch(
      new RegExp(
        `^FAILED: effects: 1 effect of decisions do not match them; first bad event: global position ${forgedEffect.globalPosition} \\(event ${forgedEffect.id}, stream ${budgetStream}\\): extra BudgetLineSpent citing decision ${decisionEventId}`,
      ),
    );
    // The clean export with the same option: its effects match.
    expect((await check(lines, { allowUnwitnessed: true })).text).toMatch(
      /; \d+ effects of \d+ adopted decisions match them\n$/,
    );
  }, 60_000);

  it('a rollback, then a fork: the server restarts from an older backup (same key); the witness refuses the smaller tree, and, once it has grown back to the same size with another history, refuses that too; each time with both signed checkpoints', async () => {
    const { world, url } = await coalition();
    const log = world.app.witnessedLog!;
    const logKey = log.logKey;
    // Two witnesses of A: the first keeps watching; the second is only ever shown the restored history.
    const first = witnessOf('witness-1.org-a.example');
    const second = witnessOf('witness-2.org-a.example');
    await register(world, first.verifierKey);
    await register(world, second.verifierKey);
    await world.settle();
    const backup = await world.request('facilitator', 'GET', '/api/backup');
    expect(backup.statusCode).toBe(200);
    const file = join(temp('backup'), 'concord.jsonl.gz');
    writeFileSync(file, backup.rawPayload);

    await world.draft('repA');
    await world.draft('repB');
    await world.settle();
    const held = await log.checkpointNow();
    expect((await runWitness(url, first, logKey, await sessionOf(world, 'repA'))).code).toBe(0);
    const repA = world.actor('repA');
    await world.close();

    const restoredDir = temp('restored');
    const env = { DATA_DIR: restoredDir };
    const out = sink();
    const restored = await restore(
      file,
      env,
      () => openTarget(env, { create: true, command: 'concord restore' }),
      undefined,
      out as unknown as NodeJS.WriteStream,
    );
    expect(restored, out.text).toBe(0);
    const again = await testApp({
      dataDir: join(restoredDir, 'pg'),
      transparency,
      clock: () => new Date(now),
    });
    closing.push(() => again.close());
    await again.app.listen({ port: 0, host: '127.0.0.1' });
    const againUrl = `http://127.0.0.1:${(again.app.server.address() as { port: number }).port}`;
    const session = (await again.app.auth.createSession(repA.personId, 'witness')).token;

    // Rollback: a smaller tree than the one cosigned.
    const older = await again.app.witnessedLog!.checkpointNow();
    expect(older.size).toBeLessThan(held.size);
    const rollback = await runWitness(againUrl, first, logKey, session);
    expect(rollback.code).toBe(1);
    expect(rollback.err).toMatch(
      new RegExp(
        `^REFUSED: rollback: the log offers size ${older.size} after it signed size ${held.size}\\n`,
      ),
    );
    expect(rollback.err).toContain(parseNote(held.note).text);
    expect(rollback.err).toContain(parseNote(older.note).text);
    // Refusing changed nothing: the witness still holds the newer checkpoint.
    expect(readFileSync(first.stateFile, 'utf8')).toContain(
      JSON.stringify(parseNote(held.note).text).slice(1, -1),
    );

    // Fork: the restored server grows back to the same size with other events.
    while ((await again.store.readAll({ after: 0, limit: 100_000 })).length < held.size) {
      const outcome = await again.app.commandBus.execute(
        {
          type: 'DraftProposal',
          actor: repA,
          now: new Date(now).toISOString(),
          proposalId: crypto.randomUUID(),
          title: 'Another history',
          body: 'Written after the restore.',
          payload: {
            kind: 'charterChange',
            rules: null,
            sharedValues: ['Other'],
            adoptSops: [],
            retireSopIds: [],
          },
        },
        { commandId: crypto.randomUUID(), correlationId: 'fork' },
      );
      expect(outcome.ok).toBe(true);
    }
    const forked = await again.app.witnessedLog!.checkpointNow();
    expect(forked.size).toBe(held.size);
    expect(parseCheckpoint(parseNote(forked.note).text).root).not.toEqual(
      parseCheckpoint(parseNote(held.note).text).root,
    );
    // The second witness never saw the first history: it cosigns this one.
    const unaware = await runWitness(againUrl, second, logKey, session);
    expect(unaware.code, unaware.err).toBe(0);
    // The first witness is shown a second history of the size it cosigned: it refuses, with both.
    const fork = await runWitness(againUrl, first, logKey, session);
    expect(fork.code).toBe(1);
    expect(fork.err).toMatch(/^REFUSED: fork: two checkpoints of size \d+ with different roots\n/);
    expect(fork.err).toContain(parseNote(held.note).text);
    expect(fork.err).toContain(parseNote(forked.note).text);
    // Both are signed by the log's own key: two statements that cannot both be true.
    for (const note of [held.note, forked.note])
      await expect(verifyCheckpoint(note, { logKey, crypto: nodeCrypto })).resolves.toBeTruthy();
  }, 120_000);
});

describe.skipIf(!postgresAvailable)('on PostgreSQL', () => {
  it('the events, the tree and the checkpoints on a PostgreSQL server: the key published, checkpoints signed, the export ends with one and verifies offline; a restart with a new key records the rotation and keeps the tree; concord verify catches a rewrite with every hash recomputed', async () => {
    const database = await createTestDatabase('concord_witness');
    closing.push(() => database.drop());
    const start = async (signer: Ed25519Signer) => {
      const db = openPostgres(database.url, 5);
      const app = await testApp({
        database: db,
        eventStore: new PostgresEventStore(db, { pollIntervalMs: 20 }),
        transparency: { signer, tickMs: 3_600_000, pollIntervalMs: 20 },
      });
      closing.push(() => app.close());
      return app;
    };
    const signer = Ed25519Signer.generate('concord.test/postgres');
    const app = await start(signer);
    const log = app.app.witnessedLog!;
    expect((await app.store.readStream('log')).map((e) => e.type)).toEqual(['LogKeyPublished']);
    const signed = await log.checkpointNow();
    expect(signed.size).toBe(1);
    expect(await log.log.audit(app.store)).toMatchObject({ ok: true, size: 1 });
    const lines: string[] = [];
    for await (const page of exportEventsJsonl(app.store)) lines.push(...page);
    const dir = temp('pg-audit');
    writeFileSync(join(dir, 'export.jsonl'), `${lines.join('')}${checkpointJsonLine(signed.note)}`);
    writeFileSync(join(dir, 'keys'), `${signer.verifierKey}\n`);
    const out = sink();
    const code = await verifyOffline(
      { exportFile: join(dir, 'export.jsonl'), trustedKeysFile: join(dir, 'keys'), witnesses: 0 },
      out,
    );
    expect(code, out.text).toBe(0);
    await app.close();

    // Restarted with a new key: the rotation is an event naming the key it replaces; the tree goes on.
    const rotated = Ed25519Signer.generate('concord.test/postgres');
    const again = await start(rotated);
    const published = (await again.store.readStream('log')).map(
      (e) => e.data as { publicKey: string; replaces: string | null },
    );
    expect(published).toMatchObject([
      { publicKey: signer.verifierKey, replaces: null },
      { publicKey: rotated.verifierKey, replaces: signer.verifierKey },
    ]);
    const next = await again.app.witnessedLog!.checkpointNow();
    expect(next.size).toBe(2);
    await expect(
      verifyCheckpoint(next.note, { logKey: rotated.verifierKey, crypto: nodeCrypto }),
    ).resolves.toBeTruthy();
    const proof = await again.app.witnessedLog!.log.consistencyProof(1, 2);
    expect(proof).toHaveLength(1);
    expect(await again.app.witnessedLog!.checkpoint(1)).toEqual(signed);
    await again.close();

    // `concord export` on the database ends the same way as the API's download.
    const target = await openTarget({ DATABASE_URL: database.url }, { command: 'concord export' });
    const exported = sink();
    try {
      await exportEvents(
        target,
        { format: 'jsonl' },
        exported as unknown as NodeJS.WritableStream,
        sink() as unknown as NodeJS.WritableStream,
      );
    } finally {
      await target.close();
    }
    expect(JSON.parse(exported.text.trimEnd().split('\n').at(-1)!)).toEqual({ checkpoint: next.note });

    // A database superuser rewrites the first event and recomputes its stream's hashes and head: the chain
    // passes, `concord verify` still names the rewrite, because the log's tree no longer matches.
    const admin = openPostgres(database.url, 1);
    try {
      const stored = await new PostgresEventStore(admin).readStream('log');
      let previous: Buffer = Buffer.alloc(32);
      await admin.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        for (const e of stored) {
          const data = e.streamPosition === 1 ? { ...(e.data as object), replaces: 'nobody' } : e.data;
          previous = eventHash(
            previous,
            contentDigest({
              streamId: e.streamId,
              id: e.id,
              type: e.type,
              dataJson: JSON.stringify(data),
              metadataJson: JSON.stringify(e.metadata),
            }),
            {
              streamPosition: e.streamPosition,
              globalPosition: e.globalPosition,
              recordedAtMs: e.recordedAt.getTime(),
            },
          );
          await sql`UPDATE eventstore.events SET data = ${JSON.stringify(data)}::json, hash = ${previous}
                     WHERE global_position = ${e.globalPosition}`.execute(trx);
        }
        await sql`UPDATE eventstore.streams SET head_hash = ${previous} WHERE stream_id = 'log'`.execute(trx);
      });
    } finally {
      await admin.destroy();
    }
    const audited = await openTarget({ DATABASE_URL: database.url }, { command: 'concord verify' });
    const verdict = sink();
    try {
      expect(await verify(audited, verdict as unknown as NodeJS.WriteStream)).toBe(1);
      expect((await audited.store.verify()).ok).toBe(true);
    } finally {
      await audited.close();
    }
    expect(verdict.text).toMatch(
      /^TAMPERED: the witnessed log no longer matches the events: its 2 leaves have root /,
    );
  }, 60_000);
});

/** The note with its log signature only (its witnesses' cosignatures dropped). */
function signedOnly(note: string): string {
  const { text, signatures } = parseNote(note);
  return `${text}\n${signatures[0]!.line}`;
}
