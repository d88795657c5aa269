import { outcomeOf, type ProposalState, streamIdFor } from '@concord/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCoalition } from './support/coalition.ts';
import { type TestApp, testApp, testRules } from './support/world.ts';

const ORGANIZATIONS = 500;

describe('concurrency: 500 organizations take stances on one proposal at once', () => {
  let t: TestApp;
  const cookies: Record<string, string>[] = [];
  let proposalId: string;

  beforeAll(async () => {
    t = await testApp();
    const seeded = await seedCoalition(t.app, { organizations: ORGANIZATIONS, rules: testRules });
    for (const { token } of seeded.representatives) cookies.push({ concord_session: token });
    proposalId = seeded.proposals[0]!;
  }, 600_000);
  afterAll(() => t?.close());

  it('records exactly 500 stance events and a tally of 500: nothing lost', async () => {
    const started = Date.now();
    const responses = await Promise.all(
      cookies.map((cookie, index) =>
        t.app.inject({
          method: 'POST',
          url: `/api/proposals/${proposalId}/stances`,
          cookies: cookie,
          payload: index % 7 === 0 ? { stance: 'concerns', reason: 'Timing' } : { stance: 'consent' },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(ORGANIZATIONS);

    const events = await t.store.readStream(streamIdFor.proposal(proposalId));
    const stances = events.filter((event) => event.type === 'StanceTaken');
    expect(stances).toHaveLength(ORGANIZATIONS);
    expect(
      new Set(stances.map((event) => (event.data as { organizationId: string }).organizationId)).size,
    ).toBe(ORGANIZATIONS);

    const loaded = await t.app.concord.streams.load<ProposalState>(
      'proposal',
      streamIdFor.proposal(proposalId),
    );
    const tally = outcomeOf(loaded.state, new Date().toISOString())?.tally;
    expect(tally?.counted).toBe(ORGANIZATIONS);
    expect(tally?.consent).toBe(ORGANIZATIONS - Math.ceil(ORGANIZATIONS / 7));
    // The read model members see says the same.
    await t.app.concord.readSide?.waitFor(await t.store.head(), 60_000);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/proposals/${proposalId}`,
      cookies: cookies[0]!,
    });
    expect(detail.json().tally.counted).toBe(ORGANIZATIONS);
    expect(detail.json().stances).toHaveLength(ORGANIZATIONS);
    console.log(`500 concurrent stances: ${elapsed} ms`);
  }, 300_000);
});
