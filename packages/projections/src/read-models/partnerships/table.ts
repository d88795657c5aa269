import type { Agreement, AttachmentRef, Partner, PillarId, RoundResults } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';
import type {
  PartnershipActionStatus,
  PartnershipAnswerItem,
  PartnershipFollowUp,
  ReflectionAboutView,
} from './schema.ts';

/** Partnerships: their partners, current agreement and check-in rhythm, and the proposals that set them. */
export const partnerships = table({
  name: 'partnerships',
  columns: {
    partnership_id: col.id(),
    title: col.text(),
    partners: col.json<Partner[]>(),
    agreement: col.json<Agreement>(),
    check_in_every_months: col.integer(),
    established_at: col.time(),
    established_by_proposal_id: col.id(),
    agreement_changed_at: col.time().orNull(),
    /** The proposal that set the current agreement (the establishing one until a change). */
    agreement_proposal_id: col.id(),
    updated_at: col.time(),
  },
  primaryKey: ['partnership_id'],
  indexes: [],
});

/** The people taking part for a partner organization: invited, then joined; removed ones are deleted. */
export const partnershipContacts = table({
  name: 'partnership_contacts',
  columns: {
    partnership_id: col.id(),
    person_id: col.id(),
    organization_id: col.id(),
    status: col.text<'invited' | 'joined'>(),
    invited_at: col.time(),
    joined_at: col.time().orNull(),
  },
  primaryKey: ['partnership_id', 'person_id'],
  indexes: [{ name: 'partnership_contacts_person', columns: ['person_id'] }],
});

/** Check-in rounds: open until closed, then the results the domain computed (never recomputed here). */
export const partnershipRounds = table({
  name: 'partnership_rounds',
  columns: {
    partnership_id: col.id(),
    round_id: col.id(),
    pooled: col.boolean(),
    opened_at: col.time(),
    closes_at: col.time(),
    closed_at: col.time().orNull(),
    results: col.json<RoundResults>().orNull(),
    /** The organizations that answered, in the order of their first answer. */
    answered_organization_ids: col.json<string[]>(),
  },
  primaryKey: ['partnership_id', 'round_id'],
  indexes: [],
});

/** Each organization's answer to a round; a later answer replaces its row. */
export const partnershipAnswers = table({
  name: 'partnership_answers',
  columns: {
    partnership_id: col.id(),
    round_id: col.id(),
    organization_id: col.id(),
    party_id: col.id(),
    answers: col.json<PartnershipAnswerItem[]>(),
    evidence: col.json<AttachmentRef[]>(),
    language: col.text(),
    answered_by: col.id(),
    answered_at: col.time(),
  },
  primaryKey: ['partnership_id', 'round_id', 'organization_id'],
  indexes: [],
});

/** Actions the parties proposed: who agreed, where each stands, and every follow-up. */
export const partnershipActions = table({
  name: 'partnership_actions',
  columns: {
    partnership_id: col.id(),
    action_id: col.id(),
    round_id: col.id().orNull(),
    pillar: col.text<PillarId>(),
    owner_party_id: col.id(),
    due_date: col.text(),
    description: col.text(),
    proposed_by_party_id: col.id(),
    proposed_by_organization_id: col.id(),
    proposed_at: col.time(),
    /** The parties that agreed, the proposer's first. */
    agreed_by: col.json<string[]>(),
    status: col.text<PartnershipActionStatus>(),
    agreed_at: col.time().orNull(),
    follow_ups: col.json<PartnershipFollowUp[]>(),
  },
  primaryKey: ['partnership_id', 'action_id'],
  indexes: [],
});

/** Shared learning: what a party recorded at the end of a grant, a project or the partnership. */
export const partnershipReflections = table({
  name: 'partnership_reflections',
  columns: {
    partnership_id: col.id(),
    reflection_id: col.id(),
    about: col.json<ReflectionAboutView>(),
    what_worked: col.text(),
    what_should_change: col.text(),
    strengths: col.text(),
    weaknesses: col.text(),
    community_outcomes: col.text(),
    language: col.text(),
    party_id: col.id(),
    organization_id: col.id(),
    recorded_by: col.id(),
    recorded_at: col.time(),
  },
  primaryKey: ['partnership_id', 'reflection_id'],
  indexes: [],
});

export type PartnershipRow = RowOf<typeof partnerships>;
export type PartnershipContactRow = RowOf<typeof partnershipContacts>;
export type PartnershipRoundRow = RowOf<typeof partnershipRounds>;
export type PartnershipAnswerRow = RowOf<typeof partnershipAnswers>;
export type PartnershipActionRow = RowOf<typeof partnershipActions>;
export type PartnershipReflectionRow = RowOf<typeof partnershipReflections>;

/** This read model's tables as Kysely sees them. */
export type PartnershipTables = TablesOf<
  | typeof partnerships
  | typeof partnershipContacts
  | typeof partnershipRounds
  | typeof partnershipAnswers
  | typeof partnershipActions
  | typeof partnershipReflections
>;
