import { z } from 'zod';

/**
 * What a member organization documents about itself, visible to every member: when it is available,
 * what it cares about, what it hopes from the coalition and how much time it can commit.
 */
export const memberProfileSchema = z
  .object({
    availability: z.string().max(2_000).describe('e.g. "Tuesdays and Thursdays, UTC+3"'),
    interests: z.array(z.string().min(1).max(200)),
    goals: z.array(z.string().min(1).max(2_000)).describe('what the organization wants from the coalition'),
    timeCommitmentHoursPerMonth: z.int().min(0).max(744).nullable(),
    languages: z.array(z.string().min(2).max(35)).describe('BCP-47 tags, e.g. ar, en, es'),
  })
  .meta({ id: 'MemberProfile', description: "a member organization's profile" });
export type MemberProfile = z.infer<typeof memberProfileSchema>;
