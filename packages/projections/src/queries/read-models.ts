import { computeOutcome } from '@concord/domain';
import { type Kysely, sql } from 'kysely';
import { normalizeRow } from '../projector/sql.ts';
import { type BudgetQueries, budgetQueries } from '../read-models/budget/queries.ts';
import { type CharterQueries, charterQueries } from '../read-models/charter/queries.ts';
import { type GrantQueries, grantQueries } from '../read-models/grants/queries.ts';
import { type MemberQueries, memberNames, memberQueries } from '../read-models/members/queries.ts';
import { queryContext } from '../read-models/query-context.ts';
import { type QuestionQueries, questionQueries } from '../read-models/questions/queries.ts';
import { type WorkingGroupQueries, workingGroupQueries } from '../read-models/working-groups/queries.ts';
import { DEFAULT_SCHEMA } from '../schema/migrate.ts';
import {
  type AuditRow,
  auditTrail,
  type CheckpointRow,
  checkpoints,
  type ProposalCommentRow,
  type ProposalRevisionRow,
  type ProposalRow,
  type ProposalStanceRow,
  type ProposalTranslationRow,
  proposalComments,
  proposalRevisions,
  proposalStances,
  proposals,
  proposalTranslations,
} from '../schema/tables.ts';
import {
  type AuditEntry,
  type CheckpointView,
  type ProposalDetail,
  type ProposalSummary,
  toAuditEntry,
  toProposalSummary,
  toStanceView,
} from './types.ts';

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

export interface AuditFilter {
  /** A person id. */
  actor?: string;
  /** An organization acting or concerned. */
  organization?: string;
  /** `coalition`, or a working group id. */
  body?: string;
  proposal?: string;
  line?: string;
  budget?: string;
  type?: string;
  /** Recorded at or after (ISO time). */
  from?: string;
  /** Recorded at or before (ISO time). */
  to?: string;
  /** Paging: entries after this global position (oldest first). */
  after?: number;
  /** `newest` lists the latest entries first (paged with `before`); `oldest` (the default) the first. */
  order?: 'oldest' | 'newest';
  /** Paging, newest first: entries before this global position. */
  before?: number;
  /** At most 1000; default 100. */
  limit?: number;
}

export interface ReadModels
  extends BudgetQueries,
    CharterQueries,
    GrantQueries,
    MemberQueries,
    QuestionQueries,
    WorkingGroupQueries {
  checkpoint(): Promise<CheckpointView | null>;
  proposals(filter?: ProposalFilter): Promise<ProposalSummary[]>;
  proposal(proposalId: string, options?: { now?: Date | string }): Promise<ProposalDetail | null>;
  auditTrail(filter?: AuditFilter): Promise<{ entries: AuditEntry[]; next: number | null }>;
}

/** Typed queries over the read models in `schema` (default `readmodel`). */
export function readModels(db: Kysely<unknown>, schema: string = DEFAULT_SCHEMA): ReadModels {
  const context = queryContext(db, schema);
  const { q, rows } = context;

  return {
    ...budgetQueries(context),
    ...charterQueries(context),
    ...grantQueries(context),
    ...memberQueries(context),
    ...questionQueries(context),
    ...workingGroupQueries(context),
    async checkpoint() {
      const row = await q
        .selectFrom('checkpoints')
        .selectAll()
        .where('name', '=', 'projector')
        .executeTakeFirst();
      if (!row) return null;
      const normalized = normalizeRow<CheckpointRow>(checkpoints, row as unknown as Record<string, unknown>);
      return { position: normalized.position, events: normalized.events, updatedAt: normalized.updated_at };
    },

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
      const found = await q
        .selectFrom('proposals')
        .selectAll()
        .where('proposal_id', '=', proposalId)
        .executeTakeFirst();
      if (!found) return null;
      const row = normalizeRow<ProposalRow>(proposals, found as unknown as Record<string, unknown>);
      const [stanceRows, commentRows, revisionRows, translationRows] = await Promise.all([
        q
          .selectFrom('proposal_stances')
          .selectAll()
          .where('proposal_id', '=', proposalId)
          .orderBy('at')
          .orderBy('organization_id')
          .execute(),
        q
          .selectFrom('proposal_comments')
          .selectAll()
          .where('proposal_id', '=', proposalId)
          .orderBy('global_position')
          .execute(),
        q
          .selectFrom('proposal_revisions')
          .selectAll()
          .where('proposal_id', '=', proposalId)
          .orderBy('revision')
          .execute(),
        q
          .selectFrom('proposal_translations')
          .selectAll()
          .where('proposal_id', '=', proposalId)
          .orderBy('global_position')
          .execute(),
      ]);
      const stances = rows<ProposalStanceRow>(proposalStances, stanceRows);
      const translations = rows<ProposalTranslationRow>(proposalTranslations, translationRows);
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
        comments: rows<ProposalCommentRow>(proposalComments, commentRows).map((comment) => ({
          commentId: comment.comment_id,
          text: comment.text,
          personId: comment.person_id,
          organizationId: comment.organization_id,
          revision: comment.revision,
          at: comment.at,
        })),
        revisions: rows<ProposalRevisionRow>(proposalRevisions, revisionRows).map((revision) => ({
          revision: revision.revision,
          title: revision.title,
          body: revision.body,
          payload: revision.payload,
          byPersonId: revision.by_person_id,
          at: revision.at,
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

    async auditTrail(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      let query = q.selectFrom('audit_trail').selectAll();
      if (filter.actor) query = query.where('actor_person_id', '=', filter.actor);
      if (filter.organization) {
        const organization = filter.organization;
        query = query.where((eb) =>
          eb.or([eb('organization_id', '=', organization), eb('actor_organization_id', '=', organization)]),
        );
      }
      if (filter.body === 'coalition') query = query.where('body_type', '=', 'coalition');
      else if (filter.body) query = query.where('body_group_id', '=', filter.body);
      if (filter.proposal) query = query.where('proposal_id', '=', filter.proposal);
      if (filter.budget) query = query.where('budget_id', '=', filter.budget);
      if (filter.line) query = query.where('line_id', '=', filter.line);
      if (filter.type) query = query.where('type', '=', filter.type);
      if (filter.from) query = query.where('recorded_at', '>=', new Date(filter.from).toISOString());
      if (filter.to) query = query.where('recorded_at', '<=', new Date(filter.to).toISOString());
      if (filter.after !== undefined) query = query.where('global_position', '>', filter.after);
      if (filter.before !== undefined) query = query.where('global_position', '<', filter.before);
      const newestFirst = filter.order === 'newest';
      const found = rows<AuditRow>(
        auditTrail,
        await query
          .orderBy('global_position', newestFirst ? 'desc' : 'asc')
          .limit(limit + 1)
          .execute(),
      );
      const page = found.slice(0, limit);
      return {
        entries: page.map(toAuditEntry),
        next: found.length > limit ? page[page.length - 1]!.global_position : null,
      };
    },
  };
}
