import type { ProposalDecided, ProposalEvent, ProposalPayload } from '../../src/index.ts';
import { smallGrantsIncrease } from './coalition.ts';
import { at, rules } from './fixtures.ts';

type Data<T extends ProposalEvent['type']> = Extract<ProposalEvent, { type: T }>['data'];

/** The proposal these events are about. */
export const proposalId = 'p1';

/** The draft `p1` by amal of o1: "More for grants", the small grants increase unless told otherwise. */
export const draftedEvent = (payload: ProposalPayload = smallGrantsIncrease): ProposalEvent => ({
  type: 'ProposalDrafted',
  data: {
    proposalId,
    title: 'More for grants',
    body: 'Demand is high this year.',
    payload,
    attachments: [],
    proposer: { personId: 'amal', organizationId: 'o1' },
    at: at(0),
  },
});

/** `p1` opened by amal at hour 1 for o1 and o2, feedback until hour 169; `overrides` change any field. */
export const openedEvent = (overrides: Partial<Data<'ProposalOpened'>> = {}): ProposalEvent => ({
  type: 'ProposalOpened',
  data: {
    proposalId,
    rules,
    routing: { decidingBody: { type: 'coalition' }, reason: 'coalitionMatter', lineId: null },
    memberIds: ['o1', 'o2'],
    recusals: [],
    urgentReason: null,
    feedbackEndsAt: at(169),
    openedBy: 'amal',
    at: at(1),
    ...overrides,
  },
});

/** Comment `c1` on `p1`, "Which RLOs benefit?", by the representative of `organizationId` at hour `hours`. */
export const commentedEvent = (organizationId: string, hours: number): ProposalEvent => ({
  type: 'ProposalCommented',
  data: {
    proposalId,
    commentId: 'c1',
    text: 'Which RLOs benefit?',
    attachments: [],
    personId: `${organizationId}-person`,
    organizationId,
    at: at(hours),
  },
});

/** A tally in which all `eligible` members consented. */
export const unanimous = (eligible: number, quorumRequired = eligible) => ({
  eligible,
  quorumRequired,
  counted: eligible,
  consent: eligible,
  concerns: 0,
  standAside: 0,
  block: 0,
  needsReview: 0,
});

/**
 * The coalition's decision on `p1` at hour 200, by consensus of two (or blocked when not adopted), on the
 * small grants increase; `overrides` change any field.
 */
export function decidedEvent(
  outcome: 'adopted' | 'notAdopted' = 'adopted',
  overrides: Partial<ProposalDecided['data']> = {},
): ProposalDecided {
  return {
    type: 'ProposalDecided',
    data: {
      proposalId,
      outcome,
      reason: outcome === 'adopted' ? 'consensus' : 'blocked',
      tally: unanimous(2),
      decidingBody: { type: 'coalition' },
      revision: 1,
      payload: smallGrantsIncrease,
      at: at(200),
      ...overrides,
    },
  };
}
