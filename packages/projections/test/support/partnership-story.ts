import { type Actor, type DomainCommand, PILLARS, type PillarId, type Rating } from '@concord/domain';
import type { World } from '@concord/generator';

// The people, the agreement and the answers of the partnership stories the partnerships read model and
// its as-of view are tested over: one cast, so both tell of the same partnership.

export const partnershipId = 'with-global-relief';
export const ingo = 'global-relief';
export const facilitator: Actor = { role: 'facilitator', personId: 'fac-lina', organizationId: null };
export const system: Actor = { role: 'system', personId: 'system:decision-execution', organizationId: null };

export const rep = (organizationId: string, personId: string): Actor => ({
  role: 'representative',
  personId,
  organizationId,
});

export const partner = (personId: string, organizationId = ingo): Actor => ({
  role: 'partner',
  personId,
  organizationId,
});

export const agreement = {
  expectations: 'Funding decisions are explained to every member organization.',
  sharedValues: 'Refugee leadership; transparency about money.',
  roles: 'The coalition leads programme design; Global Relief reports on its own spending.',
  accountability: 'A check-in every three months, results shared with all members.',
  waysOfWorking: { languages: ['ar', 'en'], channels: 'Calls and messages', rhythm: 'Monthly call' },
};
export const changedAgreement = { ...agreement, accountability: 'A check-in every two months.' };

/** Every pillar rated `rating` (but `overrides`), with `comment` on the first pillar. */
export const answersOf = (rating: Rating, overrides: Partial<Record<PillarId, Rating>> = {}, comment = '') =>
  PILLARS.map((pillar, index) => ({
    pillar,
    rating: pillar in overrides ? (overrides[pillar] as Rating) : rating,
    comment: index === 0 ? comment : '',
  }));

/** The partnership with Global Relief, established by a decision, its check-ins every three months. */
export const establishment = {
  type: 'EstablishPartnership',
  actor: system,
  partnershipId,
  title: 'Coalition and Global Relief',
  partners: [{ organizationId: ingo, name: 'Global Relief', kind: 'ingo' }],
  agreement,
  checkInEveryMonths: 3,
  execution: { proposalId: 'p-establish', decisionEventId: 'decided-establish' },
} as const;

/**
 * Runs each command on `world` `hours` after the one before (the command's `now`), noting the time under
 * `label` when given.
 */
export function storyRunner(world: World, hours: number, times: Record<string, string>) {
  return (command: { type: DomainCommand['type'] } & Record<string, unknown>, label?: string) => {
    world.advance(hours);
    if (label) times[label] = world.now;
    world.must({ ...command, now: world.now } as unknown as DomainCommand);
  };
}

/** Two weeks after the world's now: when a round opened now closes. */
export const inTwoWeeks = (world: World) => new Date(Date.parse(world.now) + 14 * 86_400_000).toISOString();
