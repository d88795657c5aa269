import { z } from 'zod';
import { storedLanguageTagSchema } from '../proposal/translation.ts';
import { idSchema, LIST_LIMITS, nameSchema, textSchema } from '../shared/primitives.ts';

/** What kind of organization a partner is. */
export const partnerKindSchema = z
  .enum(['ingo', 'donor', 'hostCommunity', 'grantee', 'other'])
  .meta({ id: 'PartnerKind', description: 'an INGO, a donor, a host-community organization, a grantee…' });

/** An organization the coalition is in partnership with: a party of its own, speaking for itself. */
export const partnerSchema = z
  .object({ organizationId: idSchema, name: nameSchema, kind: partnerKindSchema })
  .meta({ id: 'Partner', description: 'an organization outside the coalition, a party to a partnership' });
export type Partner = z.infer<typeof partnerSchema>;

/** The partners of one partnership: one at least, each named once. */
export const partnersSchema = z
  .array(partnerSchema)
  .min(1)
  .max(20)
  .refine(
    (partners) => new Set(partners.map((partner) => partner.organizationId)).size === partners.length,
    'each partner once',
  );

/**
 * The partnership's documented agreement, discussed at its start and changed only by decision: what the
 * parties expect of each other, the values they share, who does what, how they hold each other to
 * account, and how they prefer to work together.
 */
export const agreementSchema = z
  .object({
    expectations: textSchema,
    sharedValues: textSchema,
    roles: textSchema,
    accountability: textSchema.describe('how the parties will hold each other to account'),
    waysOfWorking: z.object({
      languages: z.array(storedLanguageTagSchema).min(1).max(LIST_LIMITS.documents),
      channels: textSchema.describe('how the parties reach each other'),
      rhythm: textSchema.describe('how often and how they meet'),
    }),
  })
  .meta({ id: 'PartnershipAgreement', description: 'what the parties agreed, and how they will work' });
export type Agreement = z.infer<typeof agreementSchema>;

/** How often the parties check in on the partnership, in months. */
export const checkInEveryMonthsSchema = z.int().min(1).max(24).describe('months between check-ins');
