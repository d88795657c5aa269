import { z } from 'zod';
import {
  type BudgetChange,
  type BudgetOpening,
  budgetOpeningSchema,
  proposableBudgetChangeSchema,
} from '../budget/changes.ts';
import { sharedValuesSchema, sopSchema } from '../charter/documents.ts';
import { decisionRulesSchema } from '../charter/rules.ts';
import { agreementSchema, checkInEveryMonthsSchema, partnersSchema } from '../partnership/agreement.ts';
import {
  idSchema,
  LIST_LIMITS,
  positiveAmountSchema,
  textSchema,
  titleSchema,
} from '../shared/primitives.ts';
import { type Mandate, mandateSchema } from '../working-group/mandate.ts';

/** Changes a budget's lines, or opens a budget with its first lines (`opening` set). */
export const budgetChangePayloadSchema = z.object({
  kind: z.literal('budgetChange'),
  budgetId: idSchema,
  opening: budgetOpeningSchema.nullable(),
  changes: z.array(proposableBudgetChangeSchema).max(LIST_LIMITS.changes),
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
  adoptSops: z.array(sopSchema).max(LIST_LIMITS.documents),
  retireSopIds: z.array(idSchema).max(LIST_LIMITS.documents),
});

/**
 * Admits an organization to the coalition (optionally naming its first representative), records that a
 * member leaves, or names the representative of a member organization that has none left.
 */
export const membershipChangePayloadSchema = z.object({
  kind: z.literal('membershipChange'),
  change: z
    .discriminatedUnion('action', [
      z.object({
        action: z.literal('admit'),
        organizationId: idSchema,
        name: textSchema,
        firstRepresentativeId: idSchema
          .nullable()
          .default(null)
          .describe('the person the decision names as its first representative (they still accept)'),
      }),
      z.object({ action: z.literal('depart'), organizationId: idSchema, reason: textSchema }),
      z.object({
        action: z.literal('appointRepresentative'),
        organizationId: idSchema,
        personId: idSchema,
      }),
    ])
    .meta({
      id: 'MembershipChange',
      description: 'an admission, a departure, or the representative of an organization with none left',
    }),
});

/**
 * Whether the group becomes the steward of every line its mandate lists (all in one budget): the
 * mandate form can hand lines to the group in the same decision that lets it decide on them.
 */
const takeOverLinesSchema = z
  .boolean()
  .default(false)
  .describe('the group becomes the steward of the lines of its mandate (one budget)');

const mandateLinesInOneBudget = (change: { mandate: Mandate; takeOverLines: boolean }) =>
  !change.takeOverLines ||
  (change.mandate.budgetLines.length > 0 &&
    change.mandate.budgetLines.every((line) => line.budgetId === change.mandate.budgetLines[0]?.budgetId));

/** Creates, mandates, dissolves a working group (the coalition decides) or names its leads (the group decides). */
export const workingGroupPayloadSchema = z.object({
  kind: z.literal('workingGroup'),
  change: z
    .discriminatedUnion('action', [
      z
        .object({
          action: z.literal('create'),
          groupId: idSchema,
          name: textSchema,
          purpose: textSchema,
          mandate: mandateSchema,
          takeOverLines: takeOverLinesSchema,
        })
        .refine(mandateLinesInOneBudget, 'lines taken over must all be in one budget'),
      z
        .object({
          action: z.literal('setMandate'),
          groupId: idSchema,
          mandate: mandateSchema,
          takeOverLines: takeOverLinesSchema,
        })
        .refine(mandateLinesInOneBudget, 'lines taken over must all be in one budget'),
      z.object({
        action: z.literal('setLeads'),
        groupId: idSchema,
        leadOrganizationIds: z.array(idSchema).max(LIST_LIMITS.organizations),
      }),
      z.object({ action: z.literal('dissolve'), groupId: idSchema }),
    ])
    .meta({ id: 'WorkingGroupChange', description: 'a decision about a working group' }),
});

/**
 * Establishes a partnership with outside organizations and its agreement, or changes the agreement: the
 * coalition decides both, like any other matter of the coalition.
 */
export const partnershipPayloadSchema = z.object({
  kind: z.literal('partnership'),
  change: z
    .discriminatedUnion('action', [
      z.object({
        action: z.literal('establish'),
        partnershipId: idSchema,
        title: titleSchema,
        partners: partnersSchema,
        agreement: agreementSchema,
        checkInEveryMonths: checkInEveryMonthsSchema,
      }),
      z.object({
        action: z.literal('changeAgreement'),
        partnershipId: idSchema,
        agreement: agreementSchema,
        checkInEveryMonths: checkInEveryMonthsSchema,
      }),
    ])
    .meta({ id: 'PartnershipChange', description: 'a partnership established, or its agreement changed' }),
});

/** What a proposal would do once adopted. Its `kind` is fixed when drafted. */
export const proposalPayloadSchema = z
  .discriminatedUnion('kind', [
    budgetChangePayloadSchema,
    grantAwardPayloadSchema,
    charterChangePayloadSchema,
    membershipChangePayloadSchema,
    workingGroupPayloadSchema,
    partnershipPayloadSchema,
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

/**
 * The budget changes a proposal makes when executed, or null when it changes no budget: money moved,
 * lines created, and lines handed to another steward.
 */
export function budgetEffectOf(payload: ProposalPayload): BudgetEffect | null {
  switch (payload.kind) {
    case 'workingGroup': {
      const { change } = payload;
      if ((change.action !== 'create' && change.action !== 'setMandate') || !change.takeOverLines)
        return null;
      const lines = change.mandate.budgetLines;
      return {
        budgetId: lines[0]?.budgetId ?? '',
        opening: null,
        changes: lines.map(({ lineId }) => ({
          op: 'reassignLine',
          lineId,
          stewardGroupId: change.groupId,
          partnerOrganizationIds: null,
        })),
      };
    }
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
