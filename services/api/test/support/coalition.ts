import { randomUUID } from 'node:crypto';
import type { Actor, CommandDraft, DecisionRules } from '@concord/domain';
import type { FastifyInstance } from 'fastify';

export interface SeededRepresentative {
  personId: string;
  organizationId: string;
  actor: Actor;
  /** A session token (the `concord_session` cookie). */
  token: string;
}

/**
 * Seeds a server with a founded coalition of `organizations` members (`org-0`, `org-1` …), one
 * representative each with a session, and `proposals` open charter-change proposals drafted by the first
 * — through the command pipeline, as people would, so the history is real. For load tests and benches.
 */
export async function seedCoalition(
  app: FastifyInstance,
  options: { organizations: number; proposals?: number; rules: DecisionRules },
): Promise<{ representatives: SeededRepresentative[]; proposals: string[] }> {
  const { bus, auth, clock, store } = app.concord;
  const now = () => clock().toISOString();
  const run = async (draft: CommandDraft) => {
    const outcome = await bus.execute(draft, { commandId: randomUUID(), correlationId: 'seed' });
    if (!outcome.ok) throw new Error(`${draft.type} refused: ${outcome.error.code}`);
  };
  const facilitatorRow = await auth.createPerson({
    email: 'facilitator@seed.example',
    name: 'Facilitator',
    staffRole: 'facilitator',
  });
  const facilitator: Actor = {
    role: 'facilitator',
    personId: facilitatorRow.person_id,
    organizationId: null,
  };
  const organizationIds = Array.from({ length: options.organizations }, (_, index) => `org-${index}`);
  // Each organization's representative, named by the founding (its accounts exist beforehand here).
  const people = new Map<string, string>();
  for (const organizationId of organizationIds) {
    const person = await auth.createPerson({
      email: `rep-${organizationId}@seed.example`,
      name: organizationId,
      organizationId,
    });
    people.set(organizationId, person.person_id);
  }
  await run({
    type: 'FoundCoalition',
    actor: facilitator,
    now: now(),
    coalitionName: 'Seeded coalition',
    rules: options.rules,
    sharedValues: ['Equal voice'],
    sops: [],
    foundingMembers: organizationIds.map((organizationId, index) => ({
      organizationId,
      name: `Org ${index}`,
      representativeIds: [people.get(organizationId) as string],
    })),
  });
  // The founding admits the members through the process step: their streams exist once it ran.
  await app.processes.execution.waitFor(await store.head());

  const representatives: SeededRepresentative[] = [];
  for (const organizationId of organizationIds) {
    const personId = people.get(organizationId) as string;
    const actor: Actor = { role: 'representative', personId, organizationId };
    await run({ type: 'AcceptRepresentation', actor, now: now(), organizationId });
    representatives.push({
      personId,
      organizationId,
      actor,
      token: (await auth.createSession(personId, 'seed')).token,
    });
  }

  const proposals: string[] = [];
  const proposer = representatives[0]!.actor;
  for (let index = 0; index < (options.proposals ?? 1); index++) {
    const proposalId = `proposal-${index}`;
    await run({
      type: 'DraftProposal',
      actor: proposer,
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
    await run({ type: 'OpenProposal', actor: proposer, now: now(), proposalId, urgentReason: null });
    proposals.push(proposalId);
  }
  return { representatives, proposals };
}
