import type { ProposalPayload } from '@concord/domain';
import { parseAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { type Reply, readOptional } from '$lib/server/api';
import { echoed, invalid, Posted } from '$lib/server/forms';
import { proposeWhenComplete } from '$lib/server/proposals';
import { previewRouting, routingFacts } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;
type Call = Reply<'grantCall'>;

/** Applications that can be awarded: reviewed, not awarded yet. */
async function candidates(fetch: Fetch) {
  const calls = (await readOptional(fetch, 'grantCalls'))?.grantCalls ?? [];
  const details = (
    await Promise.all(
      calls.map((call) => readOptional(fetch, 'grantCall', { grantCallId: call.grantCallId })),
    )
  ).filter((call): call is Call => call !== null);
  return details.flatMap((call) =>
    call.applications
      .filter((application) => application.reviews.length > 0 && !application.award)
      .map((application) => ({ call, application })),
  );
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const [options, charter] = await Promise.all([candidates(fetch), readOptional(fetch, 'charter')]);
  return {
    applications: options.map(({ call, application }) => ({
      value: `${call.grantCallId}:${application.applicationId}`,
      callTitle: call.title,
      applicantName: application.applicantName,
      amountRequested: application.amountRequested,
      currency: call.currency ?? 'USD',
      reviews: application.reviews.map((review) => review.recommendation),
    })),
    selected: url.searchParams.get('application') ?? '',
    urgentPath: charter?.rules.urgentPath ?? null,
  };
};

async function read(request: Request, fetch: Fetch) {
  const posted = await Posted.of(request);
  const fields: Record<string, string> = {};
  const [grantCallId = '', applicationId = ''] = posted.text('application').split(':');
  const call = grantCallId ? await readOptional(fetch, 'grantCall', { grantCallId }) : null;
  const application = call?.applications.find((candidate) => candidate.applicationId === applicationId);
  if (!call || !application) fields.application = m.field_required();
  const currency = call?.currency ?? 'USD';
  const text = posted.text('amount');
  const amount = text ? parseAmount(text, currency, getLocale()) : (application?.amountRequested ?? null);
  if (amount === null || amount <= 0) fields.amount = m.amount_invalid();
  const payload: ProposalPayload | null =
    call && application && amount !== null && amount > 0
      ? {
          kind: 'grantAward',
          grantCallId: call.grantCallId,
          applicationId: application.applicationId,
          applicantOrganizationId: application.applicantOrganizationId,
          budgetId: call.budgetId,
          lineId: call.lineId,
          amount,
        }
      : null;
  return { posted, fields, payload, call };
}

async function preview(fetch: Fetch, payload: ProposalPayload | null, call: Call | null) {
  if (!payload || !call) return null;
  const [budget, groups] = await Promise.all([
    readOptional(fetch, 'budget', { budgetId: call.budgetId }),
    readOptional(fetch, 'workingGroups'),
  ]);
  return {
    preview: previewRouting(payload, routingFacts(budget, groups?.workingGroups ?? [])),
    lines: Object.fromEntries((budget?.lines ?? []).map((line) => [line.lineId, line.name])),
  };
}

export const actions: Actions = {
  preview: async ({ request, fetch }) => {
    const { posted, fields, payload, call } = await read(request, fetch);
    const result = await preview(fetch, payload, call);
    if (!result?.preview) return invalid('preview', fields, posted);
    return echoed('preview', posted.values(), result);
  },

  propose: async ({ request, fetch }) => {
    const { posted, fields, payload } = await read(request, fetch);
    return proposeWhenComplete(fetch, posted, fields, payload, {
      AWARD_EXCEEDS_REQUEST: 'amount',
      APPLICATION_NOT_REVIEWED: 'application',
      GRANT_ALREADY_AWARDED: 'application',
    });
  },
};
