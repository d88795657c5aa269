import { z } from 'zod';

/**
 * The five elements of equitable partnership and their thirteen pillars, from the position paper the
 * product comes from. Ids are stable (events, results and translations key on them); the words live in
 * the portal's messages.
 */
export const ELEMENTS = {
  /** Shared understanding of context, culture and power. */
  context: ['contextAndCulture', 'power', 'livedExperience'],
  /** Shared ownership and voice. */
  ownership: ['coDesign', 'coLeadership', 'voiceAndVisibility'],
  /** Trust and transparency. */
  trust: ['relationships', 'clarityAndAgreement', 'valuesAndExpectations'],
  /** Flexibility. */
  flexibility: ['waysOfWorking', 'changingNeeds'],
  /** Learning and accountability. */
  learning: ['mutualAccountability', 'sharedLearning'],
} as const;

export type ElementId = keyof typeof ELEMENTS;
export type PillarId = (typeof ELEMENTS)[ElementId][number];

/** The thirteen pillars, element by element. */
export const PILLARS = Object.values(ELEMENTS).flat() as readonly PillarId[];

export const elementSchema = z
  .enum(Object.keys(ELEMENTS) as [ElementId, ...ElementId[]])
  .meta({ id: 'PartnershipElement', description: 'one of the five elements of equitable partnership' });

export const pillarSchema = z
  .enum(PILLARS as [PillarId, ...PillarId[]])
  .meta({ id: 'PartnershipPillar', description: 'one of the thirteen pillars of the five elements' });

/** The element a pillar belongs to. */
export function elementOf(pillar: PillarId): ElementId {
  return (Object.keys(ELEMENTS) as ElementId[]).find((element) =>
    (ELEMENTS[element] as readonly string[]).includes(pillar),
  ) as ElementId;
}

/**
 * A rating on the four-point scale (1: not at all … 4: fully), or null for "don't know": an honest
 * "don't know" is worth more than a guess, and it is counted, never averaged.
 */
export const ratingSchema = z
  .int()
  .min(1)
  .max(4)
  .nullable()
  .describe("1 (not at all) to 4 (fully), or null for don't know");
export type Rating = z.infer<typeof ratingSchema>;
