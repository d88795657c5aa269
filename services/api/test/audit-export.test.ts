import { type RecordedEvent, verifyEvents, verifyExportLines } from '@concord/event-store';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, ORG, World } from './support/world.ts';

describe('the auditor’s downloads and the verification of the store, over the API', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.create();
    const proposalId = await world.openBudgetProposal('repA', { lineId: 'shared', delta: 25_000 });
    await world.stance('repB', proposalId);
    await world.settle();
  }, 180_000);
  afterAll(() => world?.close());

  it('exports every event as JSONL, lossless: it verifies and matches the store without its database', async () => {
    const response = await world.request('auditor', 'GET', '/api/export?format=jsonl');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="concord-events-.+\.jsonl"$/,
    );
    const all = response.body.trimEnd().split('\n');
    const stored = await allEvents(world.t.store);
    // Every event, then every stream's recorded head.
    const lines = all.slice(0, stored.length);
    const heads = all.slice(stored.length).map((line) => JSON.parse(line).streamHead);
    expect(new Set(heads.map((head) => head.streamId))).toEqual(new Set(stored.map((e) => e.streamId)));
    const exported: RecordedEvent[] = lines.map((line) => {
      const event = JSON.parse(line);
      return { ...event, recordedAt: new Date(event.recordedAt) };
    });
    expect(exported).toEqual(stored);
    async function* each() {
      yield* exported;
    }
    const verified = await verifyEvents(each());
    const direct = await world.t.store.verify();
    expect(verified).toEqual(direct);
    expect(verified.ok).toBe(true);
    expect(await verifyExportLines(all)).toEqual({ ...direct, streamHeads: heads.length });
  });

  it('exports a range by position or time, both ends inclusive', async () => {
    const stored = await allEvents(world.t.store);
    const [from, to] = [stored[3]!.globalPosition, stored[7]!.globalPosition];
    const byPosition = await world.request('repB', 'GET', `/api/export?format=jsonl&from=${from}&to=${to}`);
    expect(byPosition.statusCode).toBe(200);
    const positions = byPosition.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).globalPosition);
    expect(positions).toEqual(stored.slice(3, 8).map((event) => event.globalPosition));

    const after = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    const none = await world.request('repB', 'GET', `/api/export?format=jsonl&from=${after}`);
    expect(none.statusCode).toBe(200);
    expect(none.body).toBe('');
  });

  it('exports the audit trail as CSV with the CLI’s columns, filtered like the trail', async () => {
    const response = await world.request('repA', 'GET', `/api/export?format=csv&type=StanceTaken`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'position,recorded_at,occurred_at,type,actor_person_id,actor_organization_id,actor_role,organization_id,body,proposal_id,budget_id,line_id,group_id,grant_call_id,summary,stream_id,stream_position,event_id,hash,actor_name',
    );
    const trail = await world.request('repA', 'GET', '/api/audit?type=StanceTaken&limit=1000');
    const entries: { position: number; organizationId: string }[] = trail.json().entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(
      entries.map((entry) => entry.position),
    );
    expect(lines[1]).toContain(',StanceTaken,');
    expect(lines[1]).toContain(ORG.B);
  });

  it('refuses a bad export with a problem and no body: unknown format, a bad moment, filters on JSONL', async () => {
    for (const query of [
      'format=xml',
      '',
      'format=jsonl&from=yesterday',
      'format=jsonl&to=-5',
      `format=jsonl&organization=${ORG.A}`,
    ]) {
      const response = await world.request('auditor', 'GET', `/api/export?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const anonymous = await world.request('anonymous', 'GET', '/api/export?format=jsonl');
    expect(anonymous.statusCode).toBe(401);
  });

  it('verifies the hash chain: ok with the head hash, then the first bad event once a payload is altered', async () => {
    const ok = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(ok.statusCode).toBe(200);
    const stored = await allEvents(world.t.store);
    expect(ok.json()).toMatchObject({
      ok: true,
      events: stored.length,
      headPosition: stored.at(-1)!.globalPosition,
    });
    expect(ok.json().headHash).toMatch(/^[0-9a-f]{64}$/);

    // A superuser edits one stored payload behind the guard trigger's back.
    const victim = stored[5]!;
    await world.t.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(tx);
      await sql`UPDATE eventstore.events SET data = (data::jsonb || '{"tampered": true}')::json
                WHERE event_id = ${victim.id}`.execute(tx);
    });
    const bad = await world.request('repA', 'GET', '/api/audit/verification');
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({
      ok: false,
      firstBad: {
        streamId: victim.streamId,
        streamPosition: victim.streamPosition,
        problem: 'hash_mismatch',
      },
    });
  });
});
