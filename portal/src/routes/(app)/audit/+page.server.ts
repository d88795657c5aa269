import { error } from '@sveltejs/kit';
import { auditSentence } from '$lib/audit-sentence';
import { eventTypes } from '$lib/event-types';
import { m } from '$lib/paraglide/messages.js';
import { callApi, type Reply, read, readOptional, send } from '$lib/server/api';
import { currentBudget, loadBudgets } from '$lib/server/budget';
import { loadPeople } from '$lib/server/directory';
import { accepted, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** "2025-03-01T09:30" or "2025-03-01T09:30:15" (a datetime-local field, read as UTC), or a full ISO time. */
function instant(text: string | null): string | undefined {
  if (!text) return undefined;
  const value = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)
    ? new Date(`${text}${text.length === 16 ? ':00' : ''}Z`)
    : /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? new Date(`${text}T00:00:00Z`)
      : new Date(text);
  return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
}

export interface Verification {
  available: boolean;
  ok?: boolean;
  events?: number;
  headHash?: string;
  headPosition?: number;
  firstBad?: {
    streamId: string;
    streamPosition: number;
    globalPosition: number | null;
    problem: string;
    detail: string;
  };
}

/**
 * The hash chain checked by the API (`GET /api/audit/verification`, the event store's `VerifyResult`).
 * It walks the whole store, so it runs when asked for and the page says when it could not be had.
 */
async function verification(fetch: typeof globalThis.fetch): Promise<Verification> {
  try {
    const response = await callApi(fetch, '/api/audit/verification', {
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) return { available: false };
    return { available: true, ...((await response.json()) as Omit<Verification, 'available'>) };
  } catch {
    return { available: false };
  }
}

type LogState = Reply<'logState'>;

/**
 * The witnessed log as `GET /api/log` gives it, or `running: false` when this server runs none (the API
 * answers 503 LOG_NOT_RUNNING): the page says so rather than failing, since the rest of it still stands.
 */
async function witnessedLog(fetch: typeof globalThis.fetch): Promise<
  | { running: false }
  | ({ running: true } & Pick<LogState, 'origin' | 'cosignatures' | 'witnessKeys'> & {
        checkpoint: { size: number; root: string; signedAt: string | null } | null;
      })
> {
  const response = await callApi(fetch, '/api/log');
  if (response.status === 503) {
    await response.body?.cancel();
    return { running: false };
  }
  if (!response.ok) error(response.status === 403 ? 403 : 502, 'unexpected');
  const state = (await response.json()) as LogState;
  return {
    running: true,
    origin: state.origin,
    // The note itself is for verifiers (the browser's own check reads it from the API): not in the page.
    checkpoint: state.checkpoint
      ? { size: state.checkpoint.size, root: state.checkpoint.root, signedAt: state.checkpoint.signedAt }
      : null,
    cosignatures: state.cosignatures,
    witnessKeys: state.witnessKeys,
  };
}

export const load: PageServerLoad = async ({ fetch, url, locals, parent }) => {
  const search = url.searchParams;
  const type = search.get('type');
  const filters = {
    actor: search.get('actor') || undefined,
    organization: search.get('organization') || undefined,
    body: search.get('body') || undefined,
    proposal: search.get('proposal') || undefined,
    line: search.get('line') || undefined,
    type: eventTypes.find((candidate) => candidate === type),
    from: instant(search.get('from')),
    to: instant(search.get('to')),
  };
  // Newest first unless the reader asks for the beginning (`order=oldest`, paged with `after`).
  const order = search.get('order') === 'oldest' ? 'oldest' : 'newest';
  const after = order === 'oldest' ? Number(search.get('after')) || undefined : undefined;
  const before = order === 'newest' ? Number(search.get('before')) || undefined : undefined;

  const budgets = await loadBudgets(fetch);
  const budget = currentBudget(budgets, new Date());
  const [trail, budgetDetail, proposals, people, grantCalls, replay, log] = await Promise.all([
    read(fetch, 'auditTrail', {}, { ...filters, order, after, before, limit: 50 }),
    budget ? readOptional(fetch, 'budget', { budgetId: budget.budgetId }) : null,
    read(fetch, 'proposals', {}, { limit: 100 }),
    loadPeople(fetch),
    readOptional(fetch, 'grantCalls'),
    readOptional(fetch, 'currentReplay'),
    witnessedLog(fetch),
  ]);

  // Applicants outside the coalition are named by their applications (the members' directory has them not).
  const calls = await Promise.all(
    (grantCalls?.grantCalls ?? []).map((call) =>
      readOptional(fetch, 'grantCall', { grantCallId: call.grantCallId }),
    ),
  );
  const applicants = Object.fromEntries(
    calls.flatMap((call) =>
      (call?.applications ?? []).map((application) => [
        application.applicantOrganizationId,
        application.applicantName,
      ]),
    ),
  );

  // Time travel: the budget and a proposal as they stood at a moment (a time, or a log position).
  const at = instant(search.get('at'));
  const position = Number(search.get('position')) || undefined;
  const asOfProposalId = search.get('asOfProposal') || filters.proposal || null;
  // A chosen time wins over a position carried from an event's link.
  const moment = at ? { time: at } : position !== undefined ? { position } : null;
  const [budgetThen, proposalThen] = moment
    ? await Promise.all([
        budget ? readOptional(fetch, 'budgetAsOf', { budgetId: budget.budgetId }, moment) : null,
        asOfProposalId ? readOptional(fetch, 'proposalAsOf', { proposalId: asOfProposalId }, moment) : null,
      ])
    : [null, null];

  // What each event says, worded here in the reader's language (ADR 0017: the page never changes these
  // words, and a live update re-runs this load): names for ids, money and times in the reader's zone.
  const { directory } = await parent();
  const lines = (budgetDetail?.lines ?? []).map((line) => ({ lineId: line.lineId, name: line.name }));
  const grantCallNames = Object.fromEntries(
    (grantCalls?.grantCalls ?? []).map((call) => [
      call.grantCallId,
      { title: call.title, budgetId: call.budgetId },
    ]),
  );
  const names = {
    organizations: { ...applicants, ...directory.organizations },
    groups: directory.groups,
    people,
    proposals: Object.fromEntries(
      proposals.proposals.map((proposal) => [proposal.proposalId, proposal.title]),
    ),
    lines: Object.fromEntries(lines.map((line) => [line.lineId, line.name])),
    budgets: Object.fromEntries(
      budgets.map((candidate) => [
        candidate.budgetId,
        { name: candidate.name, currency: candidate.currency },
      ]),
    ),
    grantCalls: grantCallNames,
    currency: budgetDetail?.currency ?? null,
  };
  const words = { locale: locals.locale, timeZone: locals.timeZone, names };

  return {
    filters: { ...filters, from: search.get('from') ?? '', to: search.get('to') ?? '' },
    // `sentence` is null for an entry recorded before its data was kept: the page shows its summary.
    entries: trail.entries.map((entry) => ({
      ...entry,
      sentence: auditSentence(entry.type, entry.data, words),
    })),
    next: trail.next,
    paged: after !== undefined || before !== undefined,
    order,
    lines,
    budgetNames: Object.fromEntries(budgets.map((candidate) => [candidate.budgetId, candidate.name])),
    grantCalls: grantCallNames,
    budgetNow: budgetDetail,
    proposals: proposals.proposals.map((proposal) => ({
      proposalId: proposal.proposalId,
      title: proposal.title,
    })),
    people,
    travel: {
      asked: moment !== null,
      at: search.get('at') ?? '',
      position: at ? null : (position ?? null),
      asOfProposalId,
      budget: budgetThen,
      proposal: proposalThen,
    },
    verification: search.get('verify') === '1' ? await verification(fetch) : null,
    replay,
    log,
    exportQuery: new URLSearchParams(
      Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ).toString(),
  };
};

export const actions: Actions = {
  /** Starts a replay check (or answers the one already running): the page then follows its progress. */
  replay: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'startReplay', { body: {} });
    if (!result.ok) return refused('replay', result.problem, posted);
    return { ...accepted('replay', m.replay_started()), replay: result.body };
  },
};
