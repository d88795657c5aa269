import { randomUUID } from 'node:crypto';
import { type Actor, outcomeOf, type ProposalState, streamIdFor } from '@concord/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp, testRules } from './support/world.ts';

const ORGANIZATIONS = 500;

describe('concurrency: 500 organizations take stances on one proposal at once', () => {
  let t: TestApp;
  const cookies: Record<string, string>[] = [];
  let proposalId: string;

  beforeAll(async () => {
    t = await testApp();
    const { bus, auth } = t.app.concord;
    const now = () => new Date().toISOString();
    const run = async (draft: Parameters<typeof bus.execute>[0]) => {
      const outcome = await bus.execute(draft, { commandId: randomUUID(), correlationId: 'setup' });
      if (!outcome.ok) throw new Error(`${draft.type}: ${outcome.error.code}`);
    };
    const facilitator = await auth.createPerson({
      email: 'facilitator@example.org',
      name: 'F',
      staffRole: 'facilitator',
    });
    const facilitatorActor: Actor = {
      role: 'facilitator',
      personId: facilitator.person_id,
      organizationId: null,
    };
    const organizations = Array.from({ length: ORGANIZATIONS }, (_, index) => ({
      organizationId: `org-${index}`,
      name: `Organization ${index}`,
    }));
    await run({
      type: 'FoundCoalition',
      actor: facilitatorActor,
      now: now(),
      coalitionName: 'Five hundred',
      rules: testRules,
      sharedValues: [],
      sops: [],
      foundingMembers: organizations,
    });
    await t.app.processes.execution.waitFor(await t.store.head());
    const actors: Actor[] = [];
    for (const { organizationId } of organizations) {
      const person = await auth.createPerson({
        email: `${organizationId}@example.org`,
        name: organizationId,
        organizationId,
      });
      await run({
        type: 'InviteRepresentative',
        actor: facilitatorActor,
        now: now(),
        organizationId,
        personId: person.person_id,
        name: organizationId,
      });
      const actor: Actor = { role: 'representative', personId: person.person_id, organizationId };
      await run({ type: 'AcceptRepresentation', actor, now: now(), organizationId });
      actors.push(actor);
      cookies.push({ concord_session: (await auth.createSession(person.person_id, 'load')).token });
    }
    proposalId = randomUUID();
    await run({
      type: 'DraftProposal',
      actor: actors[0]!,
      now: now(),
      proposalId,
      title: 'Shared values',
      body: 'We add a value.',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: ['Equal voice'],
        adoptSops: [],
        retireSopIds: [],
      },
    });
    await run({ type: 'OpenProposal', actor: actors[0]!, now: now(), proposalId, urgentReason: null });
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
