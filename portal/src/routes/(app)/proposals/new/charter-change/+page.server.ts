import { randomUUID } from 'node:crypto';
import { checkDecisionRules, type DecisionRules, type ProposalPayload } from '@concord/domain';
import { m } from '$lib/paraglide/messages.js';
import { read } from '$lib/server/api';
import { invalid, Posted } from '$lib/server/forms';
import { proposalText, proposeFromForm } from '$lib/server/proposals';
import type { Actions, PageServerLoad } from './$types';

/** Thresholds offered as exact fractions (never a rounded percentage). */
const ratios = {
  '1/2': [1, 2],
  '3/5': [3, 5],
  '2/3': [2, 3],
  '3/4': [3, 4],
  '4/5': [4, 5],
  '1/1': [1, 1],
} as const;
type RatioKey = keyof typeof ratios;
const ratioKey = (ratio: { numerator: number; denominator: number }) =>
  (Object.keys(ratios) as RatioKey[]).find(
    (key) => ratios[key][0] * ratio.denominator === ratios[key][1] * ratio.numerator,
  ) ?? '2/3';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const charter = await read(fetch, 'charter');
  // From the founding checklist: the first charter decision, with a title and text to start from.
  const founding = url.searchParams.get('founding') === '1';
  return {
    prefill: (founding
      ? { title: m.founding_charter_title(), body: m.founding_charter_body(), changeRules: 'yes' }
      : {}) as Record<string, string>,
    ratios: Object.keys(ratios) as RatioKey[],
    rules: {
      quorum: ratioKey(charter.rules.quorum),
      minimumFeedbackHours: charter.rules.minimumFeedbackHours,
      urgentHours: charter.rules.urgentPath?.minimumFeedbackHours ?? null,
      fallback: charter.rules.blockFallback ? ratioKey(charter.rules.blockFallback.supermajority) : null,
      decideWhenAllHaveSpoken: charter.rules.decideWhenAllHaveSpoken ?? false,
    },
    sharedValues: charter.sharedValues,
    sops: charter.sops
      .filter((sop) => sop.status === 'active')
      .map((sop) => ({ sopId: sop.sopId, title: sop.title })),
    urgentPath: charter.rules.urgentPath,
  };
};

function hours(text: string): number | null {
  if (!/^\d{1,4}$/.test(text)) return null;
  const value = Number(text);
  return value <= 8_760 ? value : null;
}

export const actions: Actions = {
  propose: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};

    let rules: DecisionRules | null = null;
    if (posted.text('changeRules') === 'yes') {
      const quorum = ratios[posted.text('quorum') as RatioKey];
      const feedback = hours(posted.text('minimumFeedbackHours'));
      const urgentText = posted.text('urgentHours');
      const urgent = urgentText ? hours(urgentText) : null;
      const fallback = ratios[posted.text('fallback') as RatioKey];
      if (!quorum) fields.quorum = m.field_required();
      if (feedback === null) fields.minimumFeedbackHours = m.hours_invalid();
      if (urgentText && urgent === null) fields.urgentHours = m.hours_invalid();
      if (quorum && feedback !== null && !fields.urgentHours) {
        rules = {
          quorum: { numerator: quorum[0], denominator: quorum[1] },
          minimumFeedbackHours: feedback,
          urgentPath: urgent === null ? null : { minimumFeedbackHours: urgent },
          blockFallback: fallback
            ? { supermajority: { numerator: fallback[0], denominator: fallback[1] } }
            : null,
          decideWhenAllHaveSpoken: posted.text('decideWhenAllHaveSpoken') === 'yes',
        };
        if (checkDecisionRules(rules)) fields.urgentHours = m.rules_invalid();
      }
    }

    const sharedValues =
      posted.text('changeValues') === 'yes'
        ? posted
            .text('sharedValues')
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter(Boolean)
        : null;

    const adoptSops = [];
    const sopTitle = posted.text('sopTitle');
    const sopText = posted.text('sopText');
    if (sopTitle || sopText) {
      if (!sopTitle) fields.sopTitle = m.field_required();
      if (!sopText) fields.sopText = m.field_required();
      adoptSops.push({ sopId: posted.text('sopId') || randomUUID(), title: sopTitle, text: sopText });
    }
    const retireSopIds = posted.all('retire');

    const text = proposalText(posted, fields);
    if (
      !rules &&
      !sharedValues &&
      adoptSops.length === 0 &&
      retireSopIds.length === 0 &&
      !Object.keys(fields).length
    ) {
      fields.changes = m.charter_change_empty();
    }
    if (Object.keys(fields).length) return invalid('propose', fields, posted);
    const payload: ProposalPayload = { kind: 'charterChange', rules, sharedValues, adoptSops, retireSopIds };
    return proposeFromForm(
      fetch,
      posted,
      { ...text, payload },
      { INVALID_DECISION_RULES: 'urgentHours', EMPTY_CHANGE: 'changes' },
    );
  },
};
