import { computeOutcome, mentionedPersonIds, type Tally } from '@concord/domain';
import { sql } from 'kysely';
import { bodyOf } from '../deciding-body.ts';
import { memberNames } from '../members/queries.ts';
import type { QueryContext } from '../query-context.ts';
import type { ProposalDetail, ProposalSummary, StanceView } from './schema.ts';
import type { ProposalRow, ProposalStanceRow, ProposalTranslationRow } from './table.ts';
import {
  proposalComments,
  proposalRevisions,
  proposalStances,
  proposals,
  proposalTranslations,
} from './table.ts';

export interface ProposalFilter {
  status?: ProposalRow['status'] | ProposalRow['status'][];
  kind?: ProposalRow['kind'];
  /** `coalition`, or a working group id. */
  body?: string;
  /** A person or an organization id. */
  proposer?: string;
  budgetId?: string;
  lineId?: string;
  groupId?: string;
  grantCallId?: string;
  /** Paging: proposals drafted before this position (newest first). */
  before?: number;
  limit?: number;
}

/** The proposals read model's part of `ReadModels`. */
export interface ProposalQueries {
  proposals(filter?: ProposalFilter): Promise<ProposalSummary[]>;
  proposal(proposalId: string, options?: { now?: Date | string }): Promise<ProposalDetail | null>;
}

/** Proposals, newest first, and one in full with its outcome computed at `now`. */
export function proposalQueries(context: QueryContext): ProposalQueries {
  const { q, rows, allWhere, firstWhere } = context;
  return {
    async proposals(filter = {}) {
      let query = q.selectFrom('proposals').selectAll();
      if (filter.status)
        query = query.where('status', 'in', Array.isArray(filter.status) ? filter.status : [filter.status]);
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.body === 'coalition') query = query.where('deciding_body_type', '=', 'coalition');
      else if (filter.body) query = query.where('deciding_group_id', '=', filter.body);
      if (filter.proposer) {
        const proposer = filter.proposer;
        query = query.where((eb) =>
          eb.or([eb('proposer_person_id', '=', proposer), eb('proposer_organization_id', '=', proposer)]),
        );
      }
      if (filter.budgetId) query = query.where('budget_id', '=', filter.budgetId);
      if (filter.lineId) query = query.where(sql<boolean>`line_ids ? ${filter.lineId}`);
      if (filter.groupId) query = query.where('group_id', '=', filter.groupId);
      if (filter.grantCallId) query = query.where('grant_call_id', '=', filter.grantCallId);
      if (filter.before !== undefined) query = query.where('drafted_position', '<', filter.before);
      const found = await query
        .orderBy('drafted_position', 'desc')
        .limit(Math.min(filter.limit ?? 100, 1000))
        .execute();
      return rows<ProposalRow>(proposals, found).map(toProposalSummary);
    },

    async proposal(proposalId, options = {}) {
      const row = await firstWhere(proposals, 'proposal_id', proposalId);
      if (!row) return null;
      const [stances, comments, revisions, translations] = await Promise.all([
        allWhere(proposalStances, 'proposal_id', proposalId, 'at', 'organization_id'),
        allWhere(proposalComments, 'proposal_id', proposalId, 'global_position'),
        allWhere(proposalRevisions, 'proposal_id', proposalId, 'revision'),
        allWhere(proposalTranslations, 'proposal_id', proposalId, 'global_position'),
      ]);
      const names = await memberNames(context, [
        ...row.member_ids,
        ...stances.map((stance) => stance.organization_id),
        ...translations.map((translation) => translation.organization_id),
      ]);
      // The version each item is at now: a translation of an earlier one is outdated.
      const stanceVersions = new Map(stances.map((stance) => [stance.organization_id, stance.changes]));
      const currentVersion = (item: ProposalTranslationRow['item']): number | undefined =>
        item.kind === 'proposal'
          ? row.revision
          : item.kind === 'comment'
            ? 1
            : stanceVersions.get(item.organizationId);
      const now = options.now === undefined ? new Date() : new Date(options.now);
      const nowIso = now.toISOString();
      const outcome =
        row.rules && row.feedback_ends_at && row.status === 'open'
          ? computeOutcome({
              rules: row.rules,
              memberIds: row.member_ids,
              recusedIds: row.recusals.map((recusal) => recusal.organizationId),
              stances: stances.map((stance) => ({
                organizationId: stance.organization_id,
                stance: stance.stance,
                revision: stance.revision,
              })),
              revision: row.revision,
              round: row.round === 2 ? 2 : 1,
              feedbackEndsAt: row.feedback_ends_at,
              now: nowIso,
            })
          : null;
      const recused = new Set(row.recusals.map((recusal) => recusal.organizationId));
      const answered = new Set(stances.map((stance) => stance.organization_id));
      return {
        ...toProposalSummary(row),
        body: row.body,
        payload: row.payload,
        rules: row.rules,
        memberIds: row.member_ids,
        recusals: row.recusals,
        urgentReason: row.urgent_reason,
        scheduledFor: row.scheduled_for,
        stances: stances.map((stance) =>
          toStanceView(stance, row.revision, names.get(stance.organization_id) ?? null),
        ),
        notYetConsulted: row.member_ids.filter((id) => !recused.has(id) && !answered.has(id)),
        comments: comments.map((comment) => ({
          commentId: comment.comment_id,
          text: comment.text,
          personId: comment.person_id,
          organizationId: comment.organization_id,
          mentions: mentionedPersonIds(comment.text),
          revision: comment.revision,
          at: comment.at,
          attachments: comment.attachments,
        })),
        revisions: revisions.map((revision) => ({
          revision: revision.revision,
          title: revision.title,
          body: revision.body,
          payload: revision.payload,
          byPersonId: revision.by_person_id,
          at: revision.at,
          attachments: revision.attachments,
        })),
        translations: translations.map((translation) => ({
          item: translation.item,
          itemKey: translation.item_key,
          language: translation.language,
          sourceLanguage: translation.source_language,
          version: translation.version,
          outdated: translation.version !== currentVersion(translation.item),
          title: translation.title,
          text: translation.text,
          personId: translation.person_id,
          organizationId: translation.organization_id,
          organizationName: names.get(translation.organization_id) ?? null,
          at: translation.at,
        })),
        withdrawn:
          row.withdrawn_reason && row.withdrawn_at
            ? { reason: row.withdrawn_reason, at: row.withdrawn_at }
            : null,
        execution: row.executed_at
          ? { at: row.executed_at, failure: row.execution_failure, decisionEventId: row.decision_event_id }
          : null,
        live: {
          now: nowIso,
          timeLeftMs:
            row.status === 'open' && row.feedback_ends_at
              ? Math.max(0, Date.parse(row.feedback_ends_at) - now.getTime())
              : null,
          outcome,
        },
      };
    },
  };
}

function toProposalSummary(row: ProposalRow): ProposalSummary {
  const tally: Tally = {
    eligible: row.eligible,
    quorumRequired: row.quorum_required,
    counted: row.counted,
    consent: row.consent,
    concerns: row.concerns,
    standAside: row.stand_aside,
    block: row.block,
    needsReview: row.needs_review,
  };
  return {
    proposalId: row.proposal_id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    revision: row.revision,
    proposer: { personId: row.proposer_person_id, organizationId: row.proposer_organization_id },
    draftedAt: row.drafted_at,
    position: row.drafted_position,
    openedAt: row.opened_at,
    decidingBody: bodyOf(row.deciding_body_type, row.deciding_group_id),
    routingReason: row.routing_reason,
    routingLineId: row.routing_line_id,
    feedbackEndsAt: row.feedback_ends_at,
    round: row.round,
    tally,
    quorum: {
      required: row.quorum_required,
      counted: row.counted,
      met: row.quorum_required > 0 && row.counted >= row.quorum_required,
    },
    outcome:
      row.outcome && row.outcome_reason && row.decided_at
        ? { outcome: row.outcome, reason: row.outcome_reason, decidedAt: row.decided_at }
        : null,
    commentCount: row.comments,
    links: {
      budgetId: row.budget_id,
      lineIds: row.line_ids,
      groupId: row.group_id,
      grantCallId: row.grant_call_id,
      applicationId: row.application_id,
    },
    updatedAt: row.updated_at,
  };
}

function toStanceView(row: ProposalStanceRow, currentRevision: number, name: string | null): StanceView {
  return {
    organizationId: row.organization_id,
    organizationName: name,
    personId: row.person_id,
    stance: row.stance,
    reason: row.reason,
    revision: row.revision,
    needsReview: row.revision !== currentRevision,
    round: row.round,
    at: row.at,
    changes: row.changes,
  };
}
