import { z } from 'zod';
import {
  type BudgetChange,
  type BudgetOpening,
  budgetOpeningSchema,
  proposableBudgetChangeSchema,
} from '../budget/changes.ts';
import { sharedValuesSchema, sopSchema } from '../charter/documents.ts';
import { decisionRulesSchema } from '../charter/rules.ts';
import { idSchema, positiveAmountSchema, textSchema } from '../shared/primitives.ts';
import { mandateSchema } from '../working-group/mandate.ts';

/** Changes a budget's lines, or opens a budget with its first lines (`opening` set). */
export const budgetChangePayloadSchema = z.object({
  kind: z.literal('budgetChange'),
  budgetId: idSchema,
  opening: budgetOpeningSchema.nullable(),
  changes: z.array(proposableBudgetChangeSchema),
});

/** Awards a grant to an application; executing it commits the money on the call's line. */
export const grantAwardPayloadSchema = z.object({
  kind: z.literal('grantAward'),
  grantCallId: idSchema,
  applicationId: idSchema,
  applicantOrganizationId: idSchema,
  budgetId: idSchema,
  lineId: idSchema,
  amount: positiveAmountSchema,
});

/** Changes the charter: decision rules, shared values, SOPs. Null / empty parts stay as they are. */
export const charterChangePayloadSchema = z.object({
  kind: z.literal('charterChange'),
  rules: decisionRulesSchema.nullable(),
  sharedValues: sharedValuesSchema.nullable(),
  adoptSops: z.array(sopSchema),
  retireSopIds: z.array(idSchema),
});

/** Admits an organization to the coalition, or records that a member leaves. */
export const membershipChangePayloadSchema = z.object({
  kind: z.literal('membershipChange'),
  change: z
    .discriminatedUnion('action', [
      z.object({ action: z.literal('admit'), organizationId: idSchema, name: textSchema }),
      z.object({ action: z.literal('depart'), organizationId: idSchema, reason: textSchema }),
    ])
    .meta({ id: 'MembershipChange', description: 'an admission or a departure' }),
});

/** Creates, mandates, dissolves a working group (the coalition decides) or names its leads (the group decides). */
export const workingGroupPayloadSchema = z.object({
  kind: z.literal('workingGroup'),
  change: z
    .discriminatedUnion('action', [
      z.object({
        action: z.literal('create'),
        groupId: idSchema,
        name: textSchema,
        purpose: textSchema,
        mandate: mandateSchema,
      }),
      z.object({ action: z.literal('setMandate'), groupId: idSchema, mandate: mandateSchema }),
      z.object({ action: z.literal('setLeads'), groupId: idSchema, leadOrganizationIds: z.array(idSchema) }),
      z.object({ action: z.literal('dissolve'), groupId: idSchema }),
    ])
    .meta({ id: 'WorkingGroupChange', description: 'a decision about a working group' }),
});

/** What a proposal would do once adopted. Its `kind` is fixed when drafted. */
export const proposalPayloadSchema = z
  .discriminatedUnion('kind', [
    budgetChangePayloadSchema,
    grantAwardPayloadSchema,
    charterChangePayloadSchema,
    membershipChangePayloadSchema,
    workingGroupPayloadSchema,
  ])
  .meta({ id: 'ProposalPayload', description: 'what a proposal does once adopted' });
export type ProposalPayload = z.infer<typeof proposalPayloadSchema>;
export type ProposalKind = ProposalPayload['kind'];

/** The money a proposal moves on one budget. */
export interface BudgetEffect {
  readonly budgetId: string;
  readonly opening: BudgetOpening | null;
  readonly changes: readonly BudgetChange[];
}

/** The budget changes a proposal makes when executed, or null when it moves no money. */
export function budgetEffectOf(payload: ProposalPayload): BudgetEffect | null {
  switch (payload.kind) {
    case 'budgetChange':
      return { budgetId: payload.budgetId, opening: payload.opening, changes: payload.changes };
    case 'grantAward': {
      const { grantCallId, applicationId, applicantOrganizationId, budgetId, lineId, amount } = payload;
      return {
        budgetId,
        opening: null,
        changes: [
          {
            op: 'commitGrant',
            lineId,
            grantCallId,
            applicationId,
            recipientOrganizationId: applicantOrganizationId,
            amount,
          },
        ],
      };
    }
    default:
      return null;
  }
}
