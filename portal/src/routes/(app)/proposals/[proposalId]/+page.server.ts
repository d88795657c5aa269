import { decisionRulesSchema, forecastOutcome } from '@concord/domain';
import { stanceLabel } from '$lib/labels/stance';
import { m } from '$lib/paraglide/messages.js';
import { read, readOptional, send } from '$lib/server/api';
import { uploadsOf } from '$lib/server/attachments';
import { loadPeople } from '$lib/server/directory';
import { followActions, loadFollows } from '$lib/server/follow';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import { problemMessage } from '$lib/server/problems';
import { scheduleAtWindowEnd } from '$lib/server/proposals';
import { translateAction } from '$lib/translations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals, url }) => {
  const proposal = await read(fetch, 'proposal', { proposalId: params.proposalId });
  const payload = proposal.payload;
  const budgetId = payload.kind === 'budgetChange' || payload.kind === 'grantAward' ? payload.budgetId : null;
  const [people, budget, charter, grantCall, follows, partnership] = await Promise.all([
    loadPeople(fetch),
    budgetId ? readOptional(fetch, 'budget', { budgetId }) : null,
    proposal.status === 'draft' ? readOptional(fetch, 'charter') : null,
    payload.kind === 'grantAward'
      ? readOptional(fetch, 'grantCall', { grantCallId: payload.grantCallId })
      : null,
    loadFollows(fetch),
    payload.kind === 'partnership' && payload.change.action === 'changeAgreement'
      ? readOptional(fetch, 'partnership', { partnershipId: payload.change.partnershipId })
      : null,
  ]);

  const person = locals.person;
  const organizationId = person?.organizationId ?? null;
  const isProposer =
    !!person &&
    (person.id === proposal.proposer.personId ||
      (person.role === 'representative' &&
        organizationId !== null &&
        organizationId === proposal.proposer.organizationId));
  const recused = proposal.recusals.some((recusal) => recusal.organizationId === organizationId);
  // Organizations of the deciding body with no stance on the current text (recused ones are not asked).
  const undecided = proposal.memberIds.filter(
    (id) =>
      !proposal.recusals.some((recusal) => recusal.organizationId === id) &&
      !proposal.stances.some(
        (stance) => stance.organizationId === id && stance.revision === proposal.revision,
      ),
  ).length;
  const open = proposal.status === 'open';
  const editable = open || proposal.status === 'draft';

  const notOpened = url.searchParams.get('not_opened');
  // What will happen if nobody changes their stance: the domain's own outcome, now and at the window's end.
  const forecast =
    open && proposal.rules && proposal.feedbackEndsAt
      ? forecastOutcome({
          // Parsed as the domain reads it (older charters have no `decideWhenAllHaveSpoken`: its default).
          rules: decisionRulesSchema.parse(proposal.rules),
          memberIds: proposal.memberIds,
          recusedIds: proposal.recusals.map((recusal) => recusal.organizationId),
          stances: proposal.stances.map((stance) => ({
            organizationId: stance.organizationId,
            stance: stance.stance,
            revision: stance.revision,
          })),
          revision: proposal.revision,
          round: proposal.round === 2 ? 2 : 1,
          feedbackEndsAt: proposal.feedbackEndsAt,
          now: proposal.live.now,
        })
      : null;
  return {
    // A mention is stored as an @{personId} token (names stay out of the history): shown as the name.
    proposal: {
      ...proposal,
      comments: proposal.comments.map((comment) => ({
        ...comment,
        text: comment.text.replace(
          /@\{([0-9a-fA-F-]{36})\}/g,
          (_, id: string) => `@${people[id.toLowerCase()] ?? m.mention_former()}`,
        ),
      })),
    },
    undecided,
    following: follows.includes(`proposal:${proposal.proposalId}`),
    forecast,
    people,
    notOpened:
      notOpened && proposal.status === 'draft'
        ? problemMessage({ status: 400, code: notOpened.slice(0, 60) })
        : null,
    budget: budget
      ? {
          budgetId: budget.budgetId,
          name: budget.name,
          currency: budget.currency,
          lines: Object.fromEntries(budget.lines.map((line) => [line.lineId, line.name])),
        }
      : null,
    partnerships: partnership ? { [partnership.partnershipId]: partnership.title } : {},
    grantCall: grantCall
      ? {
          title: grantCall.title,
          currency: grantCall.currency,
          applicants: Object.fromEntries(
            grantCall.applications.map((application) => [
              application.applicationId,
              application.applicantName,
            ]),
          ),
        }
      : null,
    myStance: proposal.stances.find((stance) => stance.organizationId === organizationId) ?? null,
    can: {
      stance:
        open &&
        may(person, 'TakeStance') &&
        organizationId !== null &&
        proposal.memberIds.includes(organizationId) &&
        !recused,
      recused: open && recused,
      comment: may(person, 'CommentOnProposal') && editable,
      open: isProposer && proposal.status === 'draft',
      urgentPath: charter?.rules.urgentPath ?? null,
      amend: isProposer && editable,
      withdraw: isProposer && editable,
      decide:
        may(person, 'DecideProposal') &&
        open &&
        proposal.live.outcome !== null &&
        proposal.live.outcome.status !== 'open',
      schedule: may(person, 'ScheduleDecision') && open && !proposal.scheduledFor,
      // The API refuses a second reminder within a day and when nobody is undecided: it says when.
      remind: may(person, 'RemindUndecided') && open && undecided > 0,
      // Any member organization's representative translates (the secretariat and auditors do not).
      translate: may(person, 'AddTranslation') && proposal.status !== 'withdrawn',
    },
  };
};

const stances = ['consent', 'concerns', 'standAside', 'block'] as const;
type StanceValue = (typeof stances)[number];

export const actions: Actions = {
  ...followActions,
  stance: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const stance = posted.text('stance') as StanceValue;
    const reason = posted.text('reason');
    if (!stances.includes(stance)) return invalid('stance', { stance: m.stance_pick() }, posted);
    if (stance !== 'consent' && !reason)
      return invalid('stance', { reason: m.stance_reason_required() }, posted);
    // A block stops the proposal: it is confirmed on purpose, never by a slip of the finger.
    if (stance === 'block' && posted.text('confirmBlock') !== 'yes')
      return invalid('stance', { confirmBlock: m.block_confirm_required() }, posted);
    const result = await send(fetch, 'takeStance', {
      params,
      body: { stance, reason: reason || null },
      key: posted.key(),
    });
    if (!result.ok) return refused('stance', result.problem, posted, { REASON_REQUIRED: 'reason' });
    return accepted('stance', m.stance_recorded_as({ stance: stanceLabel(stance) }));
  },

  comment: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const text = posted.text('text');
    if (!text) return invalid('comment', { text: m.field_required() }, posted);
    const uploads = await uploadsOf(fetch, posted.data, 'attachments');
    if ('refused' in uploads) return invalid('comment', {}, posted, uploads.refused);
    const result = await send(fetch, 'commentOnProposal', {
      params,
      body: { text, attachments: uploads.documents },
      key: posted.key(),
    });
    if (!result.ok) return refused('comment', result.problem, posted);
    return accepted('comment', m.comment_recorded());
  },

  translate: async ({ request, fetch, params, locals }) => {
    const posted = await Posted.of(request);
    const itemKey = posted.text('item');
    const action = translateAction(itemKey);
    const [kind, id = ''] = itemKey.split(/:(.*)/s);
    const item =
      kind === 'proposal'
        ? ({ kind: 'proposal' } as const)
        : kind === 'comment' && id
          ? ({ kind: 'comment', commentId: id } as const)
          : kind === 'stanceReason' && id
            ? ({ kind: 'stanceReason', organizationId: id } as const)
            : null;
    const version = Number(posted.text('version'));
    const title = posted.text('title');
    const text = posted.text('text');
    const fields: Record<string, string> = {};
    if (item?.kind === 'proposal' && !title) fields.title = m.field_required();
    if (!text) fields.text = m.field_required();
    if (!item || !Number.isInteger(version) || Object.keys(fields).length)
      return invalid(action, fields, posted);
    const result = await send(fetch, 'addTranslation', {
      params,
      body: {
        item,
        version,
        sourceLanguage: posted.text('sourceLanguage'),
        // Into the language the reader reads the portal in: the form offers no other.
        language: locals.locale,
        title: item.kind === 'proposal' ? title : null,
        text,
      },
      key: posted.key(),
    });
    if (!result.ok)
      return refused(action, result.problem, posted, {
        TRANSLATION_SAME_LANGUAGE: 'sourceLanguage',
        TRANSLATION_TITLE_MISMATCH: 'title',
      });
    return accepted(action, m.translation_recorded());
  },

  open: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const urgent = posted.text('urgent') === 'yes';
    const urgentReason = posted.text('urgentReason');
    if (urgent && !urgentReason) return invalid('open', { urgentReason: m.urgent_reason_required() }, posted);
    const result = await send(fetch, 'openProposal', {
      params,
      body: { urgentReason: urgent ? urgentReason : null },
      key: posted.key(),
    });
    if (!result.ok) return refused('open', result.problem, posted, { URGENT_PATH_NOT_ALLOWED: 'urgent' });
    const schedule = posted.text('autoDecide') === 'yes';
    if (schedule) await scheduleAtWindowEnd(fetch, params.proposalId);
    return accepted('open', m.proposal_opened());
  },

  amend: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const title = posted.text('title');
    const body = posted.text('body');
    const fields: Record<string, string> = {};
    if (!title) fields.title = m.field_required();
    if (!body) fields.body = m.field_required();
    if (Object.keys(fields).length) return invalid('amend', fields, posted);
    const uploads = await uploadsOf(fetch, posted.data, 'attachments');
    if ('refused' in uploads) return invalid('amend', {}, posted, uploads.refused);
    const current = await read(fetch, 'proposal', params);
    // A revision cites its documents: the ones already cited stay, the new ones join them.
    const kept = current.revisions.at(-1)?.attachments ?? [];
    const result = await send(fetch, 'amendProposal', {
      params,
      body: {
        title,
        body,
        payload: current.payload,
        reason: posted.text('reason') || null,
        attachments: [...kept, ...uploads.documents],
      },
      key: posted.key(),
    });
    if (!result.ok) return refused('amend', result.problem, posted);
    return accepted('amend', m.proposal_amended());
  },

  withdraw: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const reason = posted.text('reason');
    if (!reason) return invalid('withdraw', { reason: m.field_required() }, posted);
    const result = await send(fetch, 'withdrawProposal', { params, body: { reason }, key: posted.key() });
    if (!result.ok) return refused('withdraw', result.problem, posted);
    return accepted('withdraw', m.proposal_withdrawn());
  },

  decide: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'decideProposal', { params, body: {}, key: posted.key() });
    if (!result.ok) return refused('decide', result.problem, posted);
    return accepted('decide', m.proposal_decided());
  },

  remind: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'remindUndecided', { params, key: posted.key() });
    if (!result.ok) return refused('remind', result.problem, posted);
    return accepted('remind', m.remind_done());
  },

  schedule: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const when = posted.text('scheduledFor');
    const scheduledFor = when ? new Date(`${when}${when.length === 16 ? ':00' : ''}Z`) : null;
    if (!scheduledFor || Number.isNaN(scheduledFor.getTime())) {
      return invalid('schedule', { scheduledFor: m.field_date_invalid() }, posted);
    }
    const result = await send(fetch, 'scheduleDecision', {
      params,
      body: { scheduledFor: scheduledFor.toISOString(), reason: posted.text('reason') || null },
      key: posted.key(),
    });
    if (!result.ok)
      return refused('schedule', result.problem, posted, { SCHEDULED_TOO_EARLY: 'scheduledFor' });
    return accepted('schedule', m.decision_scheduled());
  },
};
