// Partnerships (ADR 0027) as the pages need them: which party the reader speaks for, the results of a
// closed round as figures (the domain's functions, never a pooling of our own), and the form actions.
import {
  COALITION_PARTY,
  changeSince,
  ELEMENTS,
  type ElementId,
  elementMean,
  meanOf,
  type PillarId,
  perceptionGap,
  type RoundResults,
  resultFor,
} from '@concord/domain';
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { type Reply, send } from './api';
import { accepted, invalid, invitationHandedOver, Posted, refused } from './forms';

type Person = { role: string; organizationId: string | null } | null | undefined;
export type PartnershipDetail = Reply<'partnership'>;

/** The party the reader speaks for in this partnership: the coalition, their partner organization, or none. */
export function partyOf(person: Person, partnership: PartnershipDetail): string | null {
  if (!person?.organizationId) return null;
  if (person.role === 'representative') return COALITION_PARTY;
  if (
    person.role === 'partner' &&
    partnership.partners.some((partner) => partner.organizationId === person.organizationId)
  ) {
    return person.organizationId;
  }
  return null;
}

/** One party's figures on one pillar or element. */
export interface PartyFigure {
  partyId: string;
  mean: number | null;
  /** A pooled round withheld the coalition's figure (fewer than three ratings). */
  withheld: boolean;
  /** How much higher a partner rates it than the coalition (null for the coalition, or not shown). */
  gap: number | null;
  change: number | null;
}

export interface ResultRow {
  pillar: PillarId;
  parties: PartyFigure[];
}

export interface ElementRows {
  element: ElementId;
  means: { partyId: string; mean: number | null }[];
  pillars: ResultRow[];
}

/** A closed round's results, element by element, for every party: means, gaps, change since the round before. */
export function resultRows(
  results: RoundResults,
  previous: RoundResults | null,
  partyIds: readonly string[],
): ElementRows[] {
  return (Object.keys(ELEMENTS) as ElementId[]).map((element) => ({
    element,
    means: partyIds.map((partyId) => ({ partyId, mean: elementMean(results, element, partyId) })),
    pillars: ELEMENTS[element].map((pillar) => ({
      pillar,
      parties: partyIds.map((partyId) => {
        const result = resultFor(results, pillar, partyId);
        return {
          partyId,
          mean: meanOf(result),
          withheld: !!result && result.sum === null,
          gap: partyId === COALITION_PARTY ? null : perceptionGap(results, pillar, partyId),
          change: changeSince(previous, results, pillar, partyId),
        };
      }),
    })),
  }));
}

/** `YYYY-MM-DD` of a real day, or null. */
export function isoDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : text;
}

type ActionEvent = Pick<RequestEvent, 'request' | 'fetch' | 'params'>;
const partnershipParams = (params: Partial<Record<string, string>>) => ({
  partnershipId: params.partnershipId ?? '',
});

/** The form actions of a partnership's page. */
export const partnershipActions = {
  openRound: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const day = isoDate(posted.text('closesOn'));
    const closesAt = day ? new Date(`${day}T23:59:00Z`) : null;
    if (!closesAt || closesAt.getTime() <= Date.now()) {
      return invalid('round-open', { closesOn: m.round_closes_invalid() }, posted);
    }
    const result = await send(fetch, 'openCheckInRound', {
      params: partnershipParams(params),
      body: { closesAt: closesAt.toISOString(), pooled: posted.has('pooled') },
      key: posted.key(),
    });
    if (!result.ok) return refused('round-open', result.problem, posted);
    return accepted('round-open', m.round_opened_notice());
  },

  closeRound: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'closeCheckInRound', {
      params: { ...partnershipParams(params), roundId: posted.text('roundId') },
      key: posted.key(),
    });
    if (!result.ok) return refused('round-close', result.problem, posted);
    return accepted('round-close', m.round_closed_notice());
  },

  invitePartner: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const organizationId = posted.text('organizationId');
    const name = posted.text('name');
    const email = posted.text('email');
    const fields: Record<string, string> = {};
    if (!name) fields.name = m.field_required();
    if (!email) fields.email = m.field_required();
    if (Object.keys(fields).length) return invalid('partner-invite', fields, posted);
    const result = await send(fetch, 'invitePartnerContact', {
      params: partnershipParams(params),
      body: { organizationId, name, email },
      key: posted.key(),
    });
    return invitationHandedOver(
      'partner-invite',
      result,
      posted,
      { name, email },
      {
        ALREADY_A_CONTACT: 'email',
        EMAIL_TAKEN: 'email',
        PERSON_HAS_OTHER_ROLE: 'email',
      },
    );
  },

  proposeAction: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const description = posted.text('description');
    const dueDate = isoDate(posted.text('dueDate'));
    const fields: Record<string, string> = {};
    if (!description) fields.description = m.field_required();
    if (!dueDate) fields.dueDate = m.field_required();
    if (Object.keys(fields).length || !dueDate) return invalid('action-propose', fields, posted);
    const result = await send(fetch, 'proposePartnershipAction', {
      params: partnershipParams(params),
      body: {
        roundId: posted.text('roundId') || null,
        pillar: posted.text('pillar') as PillarId,
        ownerPartyId: posted.text('ownerPartyId'),
        dueDate,
        description,
      },
      key: posted.key(),
    });
    if (!result.ok) return refused('action-propose', result.problem, posted);
    return accepted('action-propose', m.action_proposed_notice());
  },

  agreeAction: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const actionId = posted.text('actionId');
    const result = await send(fetch, 'agreeToPartnershipAction', {
      params: { ...partnershipParams(params), actionId },
      key: posted.key(),
    });
    if (!result.ok) return refused(`action-agree-${actionId}`, result.problem, posted);
    return accepted(`action-agree-${actionId}`, m.action_agreed_notice());
  },

  followUpAction: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const actionId = posted.text('actionId');
    const action = `action-follow-up-${actionId}`;
    const note = posted.text('note');
    const status = posted.text('status');
    if (!note) return invalid(action, { note: m.field_required() }, posted);
    const result = await send(fetch, 'followUpPartnershipAction', {
      params: { ...partnershipParams(params), actionId },
      body: { status: status as 'inProgress' | 'done' | 'dropped', note },
      key: posted.key(),
    });
    if (!result.ok) return refused(action, result.problem, posted);
    return accepted(action, m.action_followed_up_notice());
  },

  recordReflection: async ({ request, fetch, params }: ActionEvent) => {
    const posted = await Posted.of(request);
    const texts = ['whatWorked', 'whatShouldChange', 'strengths', 'weaknesses', 'communityOutcomes'] as const;
    const fields: Record<string, string> = {};
    for (const name of texts) if (!posted.text(name)) fields[name] = m.field_required();
    if (Object.keys(fields).length) return invalid('reflection', fields, posted);
    const kind = posted.text('kind') as 'grant' | 'project' | 'partnership';
    const result = await send(fetch, 'recordReflection', {
      params: partnershipParams(params),
      body: {
        about: { kind, reference: posted.text('reference') || null },
        whatWorked: posted.text('whatWorked'),
        whatShouldChange: posted.text('whatShouldChange'),
        strengths: posted.text('strengths'),
        weaknesses: posted.text('weaknesses'),
        communityOutcomes: posted.text('communityOutcomes'),
        language: posted.text('language') || getLocale(),
      },
      key: posted.key(),
    });
    if (!result.ok) return refused('reflection', result.problem, posted);
    return accepted('reflection', m.reflection_recorded_notice());
  },
};
