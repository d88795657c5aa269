import type { Actor, DecisionRules } from '@concord/domain';
import { runSeed } from '@concord/generator';
import type { FastifyInstance } from 'fastify';
import { pipelineSeedRunner } from '../../src/commands/seed-runner.ts';

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
 * — through the one coalition seeder and the command pipeline, so the history is real. For load tests
 * and benches.
 */
export async function seedCoalition(
  app: FastifyInstance,
  options: { organizations: number; proposals?: number; rules: DecisionRules },
): Promise<{ representatives: SeededRepresentative[]; proposals: string[] }> {
  const { auth } = app;
  const facilitator = await auth.createPerson({
    email: 'facilitator@seed.example',
    name: 'Facilitator',
    staffRole: 'facilitator',
  });
  const organizationIds = Array.from({ length: options.organizations }, (_, index) => `org-${index}`);
  // Each organization's representative, named by the founding (its account exists beforehand here).
  const people = new Map<string, string>();
  for (const organizationId of organizationIds) {
    const person = await auth.createPerson({
      email: `rep-${organizationId}@seed.example`,
      name: organizationId,
      organizationId,
    });
    people.set(organizationId, person.person_id);
  }
  const proposals = Array.from({ length: options.proposals ?? 1 }, (_, index) => `proposal-${index}`);
  await runSeed(
    {
      coalitionName: 'Seeded coalition',
      rules: options.rules,
      sharedValues: ['Equal voice'],
      sops: [],
      facilitator: { role: 'facilitator', personId: facilitator.person_id, organizationId: null },
      organizations: organizationIds.map((organizationId, index) => ({
        organizationId,
        name: `Org ${index}`,
        representatives: [people.get(organizationId) as string],
      })),
      proposals: proposals.map((proposalId, index) => ({
        proposalId,
        proposer: organizationIds[0] as string,
        title: `Procedure ${index}`,
        body: 'How we meet.',
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: null,
          adoptSops: [{ sopId: `sop-${index}`, title: 'Meetings', text: 'Monthly.' }],
          retireSopIds: [],
        },
        decidedBy: null,
      })),
    },
    pipelineSeedRunner(app, { correlationId: 'seed' }),
  );
  const representatives: SeededRepresentative[] = [];
  for (const organizationId of organizationIds) {
    const personId = people.get(organizationId) as string;
    representatives.push({
      personId,
      organizationId,
      actor: { role: 'representative', personId, organizationId },
      token: (await auth.createSession(personId, 'seed')).token,
    });
  }
  return { representatives, proposals };
}
