import { parseAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { read, readOptional, send } from '$lib/server/api';
import { uploadsOf } from '$lib/server/attachments';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const call = await read(fetch, 'grantCall', params);
  // Award proposals not yet decided (drafts and open ones): an application that has one is not offered
  // a second ("Propose an award" leads to its proposal instead).
  const [budget, steward, drafts, opened] = await Promise.all([
    readOptional(fetch, 'budget', { budgetId: call.budgetId }),
    call.stewardGroupId ? readOptional(fetch, 'workingGroup', { groupId: call.stewardGroupId }) : null,
    read(fetch, 'proposals', {}, { kind: 'grantAward', status: 'draft', limit: 100 }),
    read(fetch, 'proposals', {}, { kind: 'grantAward', status: 'open', limit: 100 }),
  ]);
  const pendingAwards: Record<string, string> = {};
  for (const proposal of [...drafts.proposals, ...opened.proposals]) {
    const { grantCallId, applicationId } = proposal.links;
    if (grantCallId === call.grantCallId && applicationId) pendingAwards[applicationId] = proposal.proposalId;
  }
  const person = locals.person;
  const organizationId = person?.role === 'representative' ? person.organizationId : null;
  const open = Date.parse(call.deadline) > Date.now();
  return {
    call,
    pendingAwards,
    lineName: budget?.lines.find((line) => line.lineId === call.lineId)?.name ?? call.lineId,
    budgetName: budget?.name ?? '',
    canApply:
      open &&
      may(person, 'SubmitGrantApplication') &&
      (person?.role === 'facilitator' ||
        (organizationId !== null &&
          !call.applications.some((application) => application.applicantOrganizationId === organizationId))),
    isFacilitator: person?.role === 'facilitator',
    organizationId,
    canReview:
      may(person, 'ReviewGrantApplication') &&
      organizationId !== null &&
      (call.stewardGroupId === null ||
        !!steward?.members.some((member) => member.organizationId === organizationId)),
    canPropose: may(person, 'DraftProposal'),
  };
};

export const actions: Actions = {
  apply: async ({ request, fetch, params, locals }) => {
    const posted = await Posted.of(request);
    const call = await read(fetch, 'grantCall', params);
    const fields: Record<string, string> = {};
    const applicantName = posted.text('applicantName');
    const summary = posted.text('summary');
    const amount = parseAmount(posted.text('amount'), call.currency ?? 'USD', getLocale());
    if (!applicantName) fields.applicantName = m.field_required();
    if (!summary) fields.summary = m.field_required();
    if (amount === null || amount <= 0) fields.amount = m.amount_invalid();
    if (Object.keys(fields).length || amount === null) return invalid('apply', fields, posted);
    const uploads = await uploadsOf(fetch, posted.data, 'attachments');
    if ('refused' in uploads) return invalid('apply', {}, posted, uploads.refused);
    const organizationId = locals.person?.role === 'representative' ? locals.person.organizationId : null;
    const result = await send(fetch, 'submitGrantApplication', {
      params,
      body: {
        ...(organizationId ? { applicantOrganizationId: organizationId } : {}),
        applicantName,
        amountRequested: amount,
        summary,
        attachments: uploads.documents,
      },
      key: posted.key(),
    });
    if (!result.ok) return refused('apply', result.problem, posted, { GRANT_CALL_CLOSED: 'summary' });
    return accepted('apply', m.application_recorded());
  },

  review: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const applicationId = posted.text('applicationId');
    const action = `review-${applicationId}`;
    const recommendation = posted.text('recommendation');
    const assessment = posted.text('assessment');
    const fields: Record<string, string> = {};
    if (recommendation !== 'fund' && recommendation !== 'doNotFund' && recommendation !== 'revise') {
      fields.recommendation = m.field_required();
    }
    if (!assessment) fields.assessment = m.field_required();
    if (Object.keys(fields).length) return invalid(action, fields, posted);
    const uploads = await uploadsOf(fetch, posted.data, 'attachments');
    if ('refused' in uploads) return invalid(action, {}, posted, uploads.refused);
    const result = await send(fetch, 'reviewGrantApplication', {
      params: { grantCallId: params.grantCallId, applicationId },
      body: { recommendation, assessment, attachments: uploads.documents },
      key: posted.key(),
    });
    if (!result.ok)
      return refused(action, result.problem, posted, { REVIEWER_CONFLICT_OF_INTEREST: 'recommendation' });
    return accepted(action, m.review_recorded());
  },
};
