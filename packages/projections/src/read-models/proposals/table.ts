import type { AttachmentRef, DecisionRules, ProposalPayload, Recusal, TranslatedItem } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';
import type { ProposalStatus } from './schema.ts';

/** The compact ballot kept with each proposal so its tally can be recomputed with `computeOutcome`. */
export type Ballot = Record<
  string,
  { stance: 'consent' | 'concerns' | 'standAside' | 'block'; revision: number; changes: number }
>;

/** Proposals: text, routing, rules, the ballot and its tally, outcome and execution. */
export const proposals = table({
  name: 'proposals',
  columns: {
    proposal_id: col.id(),
    kind: col.text<ProposalPayload['kind']>(),
    title: col.text(),
    body: col.text(),
    payload: col.json<ProposalPayload>(),
    status: col.text<ProposalStatus>(),
    revision: col.integer(),
    proposer_person_id: col.id(),
    proposer_organization_id: col.id().orNull(),
    drafted_at: col.time(),
    drafted_position: col.bigint(),
    opened_at: col.time().orNull(),
    deciding_body_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    deciding_group_id: col.id().orNull(),
    routing_reason: col.text().orNull(),
    routing_line_id: col.id().orNull(),
    rules: col.json<DecisionRules>().orNull(),
    member_ids: col.json<string[]>(),
    recusals: col.json<Recusal[]>(),
    urgent_reason: col.text().orNull(),
    feedback_ends_at: col.time().orNull(),
    round: col.integer(),
    scheduled_for: col.time().orNull(),
    ballot: col.json<Ballot>(),
    eligible: col.integer(),
    quorum_required: col.integer(),
    counted: col.integer(),
    consent: col.integer(),
    concerns: col.integer(),
    stand_aside: col.integer(),
    block: col.integer(),
    needs_review: col.integer(),
    outcome: col.text<'adopted' | 'notAdopted'>().orNull(),
    outcome_reason: col
      .text<'consensus' | 'everyoneHasSpoken' | 'fallbackSupermajority' | 'blocked'>()
      .orNull(),
    decided_at: col.time().orNull(),
    decision_event_id: col.id().orNull(),
    executed_at: col.time().orNull(),
    execution_failure: col.json<{ code: string; message: string }>().orNull(),
    withdrawn_reason: col.text().orNull(),
    withdrawn_at: col.time().orNull(),
    comments: col.integer(),
    budget_id: col.id().orNull(),
    line_ids: col.json<string[]>(),
    group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    application_id: col.id().orNull(),
    updated_at: col.time(),
    last_position: col.bigint(),
  },
  primaryKey: ['proposal_id'],
  indexes: [
    { name: 'proposals_status', columns: ['status', 'drafted_position'] },
    { name: 'proposals_drafted', columns: ['drafted_position'] },
  ],
});

/** Each organization's stance on a proposal (the latest), with the revision it was given on. */
export const proposalStances = table({
  name: 'proposal_stances',
  columns: {
    proposal_id: col.id(),
    organization_id: col.id(),
    person_id: col.id(),
    stance: col.text<'consent' | 'concerns' | 'standAside' | 'block'>(),
    reason: col.text().orNull(),
    revision: col.integer(),
    round: col.integer(),
    at: col.time(),
    changes: col.integer(),
  },
  primaryKey: ['proposal_id', 'organization_id'],
  indexes: [{ name: 'proposal_stances_organization', columns: ['organization_id'] }],
  writeOnly: true,
});

/** Comments on a proposal, in the order they were made. */
export const proposalComments = table({
  name: 'proposal_comments',
  columns: {
    proposal_id: col.id(),
    comment_id: col.id(),
    text: col.text(),
    person_id: col.id(),
    organization_id: col.id().orNull(),
    revision: col.integer(),
    at: col.time(),
    global_position: col.bigint(),
    /** The documents the comment cites. */
    attachments: col.json<AttachmentRef[]>(),
  },
  primaryKey: ['proposal_id', 'comment_id'],
  indexes: [],
  appendOnly: true,
});

/** The text of every revision of a proposal (1 when drafted, one more per amendment). */
export const proposalRevisions = table({
  name: 'proposal_revisions',
  columns: {
    proposal_id: col.id(),
    revision: col.integer(),
    title: col.text(),
    body: col.text(),
    payload: col.json<ProposalPayload>(),
    by_person_id: col.id(),
    at: col.time(),
    global_position: col.bigint(),
    /** The documents the revision cites. */
    attachments: col.json<AttachmentRef[]>(),
  },
  primaryKey: ['proposal_id', 'revision'],
  indexes: [],
  appendOnly: true,
});

/**
 * The translations members added to a proposal, its comments and its stance reasons: the latest per item
 * and language (`item_key` as `translatedItemKey` makes it). Whether one is outdated is derived when read,
 * from `version` against the item's current version.
 */
export const proposalTranslations = table({
  name: 'proposal_translations',
  columns: {
    proposal_id: col.id(),
    item_key: col.id(),
    item: col.json<TranslatedItem>(),
    language: col.id(),
    source_language: col.id(),
    version: col.integer(),
    title: col.text().orNull(),
    text: col.text(),
    person_id: col.id(),
    organization_id: col.id(),
    at: col.time(),
    global_position: col.bigint(),
  },
  primaryKey: ['proposal_id', 'item_key', 'language'],
  indexes: [],
  writeOnly: true,
});

export type ProposalRow = RowOf<typeof proposals>;
export type ProposalStanceRow = RowOf<typeof proposalStances>;
export type ProposalCommentRow = RowOf<typeof proposalComments>;
export type ProposalRevisionRow = RowOf<typeof proposalRevisions>;
export type ProposalTranslationRow = RowOf<typeof proposalTranslations>;

/** The proposals read model's tables as Kysely sees them. */
export type ProposalTables = TablesOf<
  | typeof proposals
  | typeof proposalStances
  | typeof proposalComments
  | typeof proposalRevisions
  | typeof proposalTranslations
>;
