import { ELEMENTS, type ElementId, PILLARS, type PillarId } from '@concord/domain';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { read, send } from '$lib/server/api';
import { uploadsOf } from '$lib/server/attachments';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import { partyOf } from '$lib/server/partnerships';
import type { Actions, PageServerLoad } from './$types';

/**
 * The check-in form of an open round, for the reader's organization: the thirteen pillars by element,
 * prefilled with the organization's current answer (a later answer replaces it until the round closes).
 */
export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const partnership = await read(fetch, 'partnership', { partnershipId: params.partnershipId });
  const round = partnership.rounds.find((candidate) => candidate.roundId === params.roundId);
  if (!round) error(404, 'not_found');
  const organizationId = locals.person?.organizationId ?? null;
  const mine = await currentAnswer(fetch, params, organizationId);
  const party = partyOf(locals.person, partnership);
  return {
    partnershipId: partnership.partnershipId,
    title: partnership.title,
    round: { roundId: round.roundId, closesAt: round.closesAt, open: round.closedAt === null },
    organizationName:
      partnership.partners.find((partner) => partner.organizationId === organizationId)?.name ?? null,
    mayAnswer: party !== null && may(locals.person, 'AnswerCheckIn'),
    elements: (Object.keys(ELEMENTS) as ElementId[]).map((element) => ({
      element,
      pillars: [...ELEMENTS[element]] as PillarId[],
    })),
    current: mine
      ? {
          language: mine.language,
          evidence: mine.evidence,
          answers: Object.fromEntries(
            mine.answers.map((answer) => [answer.pillar, { rating: answer.rating, comment: answer.comment }]),
          ),
        }
      : null,
  };
};

/** The organization's answer to the round so far (null before it answered). */
async function currentAnswer(
  fetch: typeof globalThis.fetch,
  params: { partnershipId: string; roundId: string },
  organizationId: string | null,
) {
  const answers = await read(fetch, 'checkInAnswers', {
    partnershipId: params.partnershipId,
    roundId: params.roundId,
  });
  return answers.answers.find((answer) => answer.organizationId === organizationId) ?? null;
}

export const actions: Actions = {
  answer: async ({ request, fetch, params, locals }) => {
    const posted = await Posted.of(request);
    const organizationId = locals.person?.organizationId ?? '';
    const fields: Record<string, string> = {};
    const answers = PILLARS.map((pillar) => {
      const value = posted.text(`rating-${pillar}`);
      if (!/^[1-4]$/.test(value) && value !== 'dontKnow') fields[`rating-${pillar}`] = m.checkin_missing();
      return {
        pillar,
        rating: value === 'dontKnow' || value === '' ? null : Number(value),
        comment: posted.text(`comment-${pillar}`),
      };
    });
    if (Object.keys(fields).length) return invalid('check-in', fields, posted);
    // A new answer replaces the earlier one, evidence included: the documents already cited stay unless
    // unticked, and the files chosen now are added.
    const kept = new Set(posted.all('keepEvidence'));
    const earlier = (await currentAnswer(fetch, params, organizationId))?.evidence ?? [];
    const uploads = await uploadsOf(fetch, posted.data, 'evidence');
    if ('refused' in uploads) return invalid('check-in', {}, posted, uploads.refused);
    // Each document once: a file still chosen in the form (kept there after a save) is not cited twice.
    const evidence = [
      ...new Map(
        [...earlier.filter((document) => kept.has(document.sha256)), ...uploads.documents].map((document) => [
          document.sha256,
          document,
        ]),
      ).values(),
    ];
    const result = await send(fetch, 'answerCheckIn', {
      params: { partnershipId: params.partnershipId, roundId: params.roundId, organizationId },
      body: { answers, evidence, language: posted.text('language') || getLocale() },
      key: posted.key(),
    });
    if (!result.ok) return refused('check-in', result.problem, posted);
    return accepted('check-in', m.checkin_saved());
  },
};
