import { outcomeOf, type ProposalState, streamIdFor } from '@concord/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCoalition } from './support/coalition.ts';
import { type TestApp, testApp, testRules } from './support/world.ts';

const ORGANIZATIONS = 500;

describe('concurrency: 500 organizations take stances on one proposal at once', () => {
  let t: TestApp;
  const cookies: Record<string, string>[] = [];
  let proposalId: string;
  let secondProposalId: string;

  beforeAll(async () => {
    t = await testApp();
    const seeded = await seedCoalition(t.app, {
      organizations: ORGANIZATIONS,
      proposals: 2,
      rules: testRules,
    });
    for (const { token } of seeded.representatives) cookies.push({ concord_session: token });
    proposalId = seeded.proposals[0]!;
    secondProposalId = seeded.proposals[1]!;
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

    // Commands that queued for the stream were appended together; each answer still names its own event.
    const byId = new Map(events.map((event) => [event.id, event]));
    for (const response of responses) {
      const result = response.json();
      const own = byId.get(result.events[0].id);
      expect(own?.globalPosition).toBe(result.position);
      expect(own?.streamPosition).toBe(result.streamVersion);
      expect(own?.metadata.commandId).toBe(result.commandId);
    }

    const loaded = await t.app.streams.load<ProposalState>('proposal', streamIdFor.proposal(proposalId));
    const tally = outcomeOf(loaded.state, new Date().toISOString())?.tally;
    expect(tally?.counted).toBe(ORGANIZATIONS);
    expect(tally?.consent).toBe(ORGANIZATIONS - Math.ceil(ORGANIZATIONS / 7));
    // The read model members see says the same.
    await t.app.readSide?.waitFor(await t.store.head(), 60_000);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/proposals/${proposalId}`,
      cookies: cookies[0]!,
    });
    expect(detail.json().tally.counted).toBe(ORGANIZATIONS);
    expect(detail.json().stances).toHaveLength(ORGANIZATIONS);
    console.log(`500 concurrent stances: ${elapsed} ms`);
  }, 300_000);

  it('decides queued commands each on the state the ones before left: none is accepted after a withdrawal', async () => {
    const stances = cookies.slice(1, 61);
    const requests = stances.map((cookie) =>
      t.app.inject({
        method: 'POST',
        url: `/api/proposals/${secondProposalId}/stances`,
        cookies: cookie,
        payload: { stance: 'consent' },
      }),
    );
    // The first organization drafted the proposal: it withdraws it while the stances queue up.
    requests.splice(
      30,
      0,
      t.app.inject({
        method: 'POST',
        url: `/api/proposals/${secondProposalId}/withdrawal`,
        cookies: cookies[0]!,
        payload: { reason: 'Superseded' },
      }),
    );
    const responses = await Promise.all(requests);
    const events = await t.store.readStream(streamIdFor.proposal(secondProposalId));
    const withdrawn = events.findIndex((event) => event.type === 'ProposalWithdrawn');
    expect(withdrawn).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'ProposalWithdrawn')).toHaveLength(1);
    // Every stance on record came before the withdrawal, and each was answered 201 with its own event.
    const recorded = events.filter((event) => event.type === 'StanceTaken');
    expect(events.slice(withdrawn + 1).filter((event) => event.type === 'StanceTaken')).toEqual([]);
    const [withdrawal] = responses.splice(30, 1);
    expect(withdrawal?.statusCode).toBe(200);
    const accepted = responses.filter((response) => response.statusCode === 201);
    expect(accepted).toHaveLength(recorded.length);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(refused).toHaveLength(60 - accepted.length);
    for (const response of refused) expect(response.json().code).toBe('PROPOSAL_NOT_OPEN');
    const positions = new Set(events.map((event) => event.globalPosition));
    for (const response of accepted) expect(positions.has(response.json().position)).toBe(true);
  }, 120_000);
});
