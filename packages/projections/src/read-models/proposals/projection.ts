import { computeOutcome, type ProposalPayload, translatedItemKey } from '@concord/domain';
import { iso, type View } from '../view.ts';
import {
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
} from './table.ts';

/** What a payload links to, so proposals can be listed by budget, line, group or grant call. */
function linksOf(payload: ProposalPayload) {
  switch (payload.kind) {
    case 'budgetChange':
      return {
        budget_id: payload.budgetId,
        line_ids: [...new Set(payload.changes.map((change) => change.lineId))],
        group_id: null,
        grant_call_id: null,
        application_id: null,
      };
    case 'grantAward':
      return {
        budget_id: payload.budgetId,
        line_ids: [payload.lineId],
        group_id: null,
        grant_call_id: payload.grantCallId,
        application_id: payload.applicationId,
      };
    case 'workingGroup':
      return {
        budget_id: null,
        line_ids: [],
        group_id: payload.change.groupId,
        grant_call_id: null,
        application_id: null,
      };
    default:
      return { budget_id: null, line_ids: [], group_id: null, grant_call_id: null, application_id: null };
  }
}

/**
 * Recomputes the tally of an undecided proposal with the domain's `computeOutcome` from its final state
 * in the batch (the tally does not depend on the time; a decided proposal keeps the recorded tally).
 */
function computeTally(row: ProposalRow): void {
  if (!row.rules || !row.feedback_ends_at || row.outcome !== null) return;
  const { tally } = computeOutcome({
    rules: row.rules,
    memberIds: row.member_ids,
    recusedIds: row.recusals.map((recusal) => recusal.organizationId),
    stances: Object.entries(row.ballot).map(([organizationId, { stance, revision }]) => ({
      organizationId,
      stance,
      revision,
    })),
    revision: row.revision,
    round: row.round === 2 ? 2 : 1,
    feedbackEndsAt: row.feedback_ends_at,
    now: row.feedback_ends_at,
  });
  row.eligible = tally.eligible;
  row.quorum_required = tally.quorumRequired;
  row.counted = tally.counted;
  row.consent = tally.consent;
  row.concerns = tally.concerns;
  row.stand_aside = tally.standAside;
  row.block = tally.block;
  row.needs_review = tally.needsReview;
}

/**
 * Proposals and consensus: status, deciding body and why, the feedback window, the tally by stance and
 * quorum progress, recusals, each organization's stance and reason, comments, every revision, members'
 * translations, and the outcome and why.
 */
export const proposalsView: View = {
  name: 'proposals',
  types: [
    'ProposalDrafted',
    'ProposalAmended',
    'ProposalOpened',
    'ProposalCommented',
    'StanceTaken',
    'TranslationAdded',
    'ProposalWithdrawn',
    'ProposalDecisionScheduled',
    'ProposalSecondRoundStarted',
    'ProposalDecided',
    'ProposalExecuted',
    'ProposalExecutionFailed',
  ],
  needs({ event }, uow) {
    if (event.type === 'TranslationAdded') return;
    if (event.type.startsWith('Proposal') || event.type === 'StanceTaken') {
      if (event.type !== 'ProposalDrafted')
        uow.want(proposals, (event.data as { proposalId: string }).proposalId);
    }
  },
  apply({ event, recorded }, { uow, change }) {
    const position = recorded.globalPosition;
    if (event.type === 'ProposalDrafted') {
      const { proposalId, title, body, payload, proposer, at, attachments } = event.data;
      uow.put<ProposalRow>(proposals, {
        proposal_id: proposalId,
        kind: payload.kind,
        title,
        body,
        payload,
        status: 'draft',
        revision: 1,
        proposer_person_id: proposer.personId,
        proposer_organization_id: proposer.organizationId,
        drafted_at: iso(at),
        drafted_position: position,
        opened_at: null,
        deciding_body_type: null,
        deciding_group_id: null,
        routing_reason: null,
        routing_line_id: null,
        rules: null,
        member_ids: [],
        recusals: [],
        urgent_reason: null,
        feedback_ends_at: null,
        round: 1,
        scheduled_for: null,
        ballot: {},
        eligible: 0,
        quorum_required: 0,
        counted: 0,
        consent: 0,
        concerns: 0,
        stand_aside: 0,
        block: 0,
        needs_review: 0,
        outcome: null,
        outcome_reason: null,
        decided_at: null,
        decision_event_id: null,
        executed_at: null,
        execution_failure: null,
        withdrawn_reason: null,
        withdrawn_at: null,
        comments: 0,
        ...linksOf(payload),
        updated_at: iso(at),
        last_position: position,
      });
      uow.append<ProposalRevisionRow>(proposalRevisions, {
        proposal_id: proposalId,
        revision: 1,
        title,
        body,
        payload,
        by_person_id: proposer.personId,
        at: iso(at),
        global_position: position,
        attachments,
      });
      change({ view: 'proposal', id: proposalId });
      return;
    }
    if (event.type === 'TranslationAdded') {
      // Only the translation's own row: the proposal's row (and its updated_at) stays as it was, so the
      // lists' order and "last changed" do not move when someone translates.
      const {
        proposalId,
        item,
        language,
        sourceLanguage,
        version,
        title,
        text,
        personId,
        organizationId,
        at,
      } = event.data;
      uow.put<ProposalTranslationRow>(proposalTranslations, {
        proposal_id: proposalId,
        item_key: translatedItemKey(item),
        item,
        language,
        source_language: sourceLanguage,
        version,
        title,
        text,
        person_id: personId,
        organization_id: organizationId,
        at: iso(at),
        global_position: position,
      });
      change({ view: 'proposal', id: proposalId });
      return;
    }
    if (!(event.type.startsWith('Proposal') || event.type === 'StanceTaken')) return;
    const { proposalId } = event.data as { proposalId: string };
    const existing = uow.get<ProposalRow>(proposals, proposalId);
    if (!existing) throw new Error(`${event.type} at ${position}: no proposal ${proposalId}`);
    const at = iso((event.data as { at: string }).at);
    // Rows are updated in place: the unit of work holds the latest version, and a failed batch drops the cache.
    let row: ProposalRow = existing;
    row.updated_at = at;
    row.last_position = position;
    switch (event.type) {
      case 'ProposalAmended': {
        const { revision, title, body, payload, routing, recusals, amendedBy, attachments } = event.data;
        Object.assign(row, { revision, title, body, payload, ...linksOf(payload) });
        if (routing && recusals) {
          row.deciding_body_type = routing.decidingBody.type;
          row.deciding_group_id =
            routing.decidingBody.type === 'workingGroup' ? routing.decidingBody.groupId : null;
          row.routing_reason = routing.reason;
          row.routing_line_id = routing.lineId;
          row.recusals = recusals;
        }
        uow.append<ProposalRevisionRow>(proposalRevisions, {
          proposal_id: proposalId,
          revision,
          title,
          body,
          payload,
          by_person_id: amendedBy,
          at,
          global_position: position,
          attachments,
        });
        break;
      }
      case 'ProposalOpened': {
        const { rules, routing, memberIds, recusals, urgentReason, feedbackEndsAt } = event.data;
        Object.assign(row, {
          status: 'open',
          opened_at: at,
          deciding_body_type: routing.decidingBody.type,
          deciding_group_id:
            routing.decidingBody.type === 'workingGroup' ? routing.decidingBody.groupId : null,
          routing_reason: routing.reason,
          routing_line_id: routing.lineId,
          rules,
          member_ids: memberIds,
          recusals,
          urgent_reason: urgentReason,
          feedback_ends_at: iso(feedbackEndsAt),
        });
        break;
      }
      case 'ProposalCommented': {
        const { commentId, text, personId, organizationId, attachments } = event.data;
        row.comments += 1;
        uow.append<ProposalCommentRow>(proposalComments, {
          proposal_id: proposalId,
          comment_id: commentId,
          text,
          person_id: personId,
          organization_id: organizationId,
          revision: row.revision,
          at,
          global_position: position,
          attachments,
        });
        break;
      }
      case 'StanceTaken': {
        const { organizationId, personId, stance, reason, revision, round } = event.data;
        const earlier = row.ballot[organizationId];
        const changes = (earlier?.changes ?? 0) + 1;
        row.ballot[organizationId] = { stance, revision, changes };
        // The ballot holds every organization that took a stance: without it there, the row is new.
        uow.put<ProposalStanceRow>(
          proposalStances,
          {
            proposal_id: proposalId,
            organization_id: organizationId,
            person_id: personId,
            stance,
            reason,
            revision,
            round,
            at,
            changes,
          },
          earlier === undefined,
        );
        break;
      }
      case 'ProposalWithdrawn':
        row.status = 'withdrawn';
        row.withdrawn_reason = event.data.reason;
        row.withdrawn_at = at;
        break;
      case 'ProposalDecisionScheduled':
        row.scheduled_for = iso(event.data.scheduledFor);
        break;
      case 'ProposalSecondRoundStarted':
        row.round = 2;
        row.feedback_ends_at = iso(event.data.feedbackEndsAt);
        row.scheduled_for = null;
        break;
      case 'ProposalDecided': {
        const { outcome, reason, tally } = event.data;
        row = Object.assign(row, {
          status: outcome,
          outcome,
          outcome_reason: reason,
          decided_at: at,
          decision_event_id: recorded.id,
          eligible: tally.eligible,
          quorum_required: tally.quorumRequired,
          counted: tally.counted,
          consent: tally.consent,
          concerns: tally.concerns,
          stand_aside: tally.standAside,
          block: tally.block,
          needs_review: tally.needsReview,
        });
        break;
      }
      case 'ProposalExecuted':
        row.status = 'executed';
        row.executed_at = at;
        break;
      case 'ProposalExecutionFailed':
        row.status = 'executionFailed';
        row.executed_at = at;
        row.execution_failure = event.data.failure;
        break;
    }
    uow.put(proposals, row);
    change({ view: 'proposal', id: proposalId });
  },
  finish(uow) {
    for (const row of uow.written<ProposalRow>(proposals)) computeTally(row);
  },
};
