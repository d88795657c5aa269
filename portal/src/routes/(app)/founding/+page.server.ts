// The founding walk: (1) a facilitator records the founding, naming each founding organization and its
// first representative; (2) the invitation links go to those people (handed over by the facilitator when
// this server sends no mail) and the page shows who has accepted; (3) the founding organizations decide
// their charter, first budget and working groups together, as ordinary proposals: a checklist links to
// each prefilled form and follows each decision live.
import { m } from '$lib/paraglide/messages.js';
import { type Reply, read, readOptional, readUntilShown, send } from '$lib/server/api';
import { loadBudgets } from '$lib/server/budget';
import { accepted, echoed, invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;
type Summary = Reply<'proposals'>['proposals'][number];

/** Rows of organizations the form starts with, adds at a time, and allows at most (the API's limit). */
const firstRows = 3;
const addRows = 2;
const maxRows = 200;
/** Member pages read for "who accepted": enough for any founding done in one sitting. */
const detailLimit = 60;

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface FoundingStep {
  proposalId: string;
  title: string;
  status: string;
  counted: number;
  eligible: number;
}

function step(summary: Summary): FoundingStep {
  return {
    proposalId: summary.proposalId,
    title: summary.title,
    status: summary.status,
    counted: summary.tally.counted,
    eligible: summary.tally.eligible,
  };
}

/** The founding decisions so far, found by kind: the charter, the opening budget, working groups. */
async function checklist(fetch: Fetch) {
  const [charters, budgetChanges, groups, budgets] = await Promise.all([
    read(fetch, 'proposals', {}, { kind: 'charterChange', limit: 20 }),
    read(fetch, 'proposals', {}, { kind: 'budgetChange', limit: 20 }),
    read(fetch, 'proposals', {}, { kind: 'workingGroup', limit: 20 }),
    loadBudgets(fetch),
  ]);
  // An opening budget is a budget change whose payload opens one: read the few there are at a founding.
  const details = await Promise.all(
    budgetChanges.proposals.map((summary) =>
      readOptional(fetch, 'proposal', { proposalId: summary.proposalId }),
    ),
  );
  const openings = budgetChanges.proposals.filter((_, index) => {
    const payload = details[index]?.payload;
    return payload?.kind === 'budgetChange' && payload.opening !== null;
  });
  const oldestFirst = (list: Summary[]) => [...list].reverse().map(step);
  return {
    charter: oldestFirst(charters.proposals),
    budget: oldestFirst(openings),
    groups: oldestFirst(groups.proposals),
    budgetOpened: budgets.length > 0,
  };
}

/** The founding organizations and, for each, its representatives: who has accepted so far. */
async function representation(fetch: Fetch) {
  const { members } = await read(fetch, 'members');
  const founding = members.filter((member) => member.admission === 'founding');
  const details = await Promise.all(
    founding
      .slice(0, detailLimit)
      .map((member) => readOptional(fetch, 'member', { organizationId: member.organizationId })),
  );
  return founding.map((member, index) => ({
    organizationId: member.organizationId,
    name: member.name,
    activeRepresentatives: member.activeRepresentatives,
    representatives:
      details[index]?.representatives.map((rep) => ({
        personId: rep.personId,
        name: rep.name,
        status: rep.status,
      })) ?? null,
  }));
}

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const charter = await readOptional(fetch, 'charter');
  const isFacilitator = locals.person?.role === 'facilitator';
  if (!charter) {
    return { founded: false as const, canFound: isFacilitator, rows: firstRows };
  }
  const [organizations, decisions] = await Promise.all([representation(fetch), checklist(fetch)]);
  return {
    founded: true as const,
    coalitionName: charter.coalitionName,
    canRelink: isFacilitator,
    canPropose: may(locals.person, 'DraftProposal'),
    organizations,
    decisions,
  };
};

/** One row of the founding form: an organization and its first representative. */
interface Row {
  organization: string;
  name: string;
  email: string;
}

function rowsOf(posted: Posted): Row[] {
  const count = Math.min(Math.max(Number(posted.text('rows')) || firstRows, 1), maxRows);
  return Array.from({ length: count }, (_, index) => ({
    organization: posted.text(`org-${index}-name`),
    name: posted.text(`org-${index}-rep-name`),
    email: posted.text(`org-${index}-rep-email`),
  }));
}

/** The form's values with `rows` in place of what was posted (rows renumbered from 0). */
function valuesWith(posted: Posted, rows: Row[]): Record<string, string> {
  const values = Object.fromEntries(
    Object.entries(posted.values()).filter(([name]) => !/^org-\d+-/.test(name)),
  );
  rows.forEach((row, index) => {
    values[`org-${index}-name`] = row.organization;
    values[`org-${index}-rep-name`] = row.name;
    values[`org-${index}-rep-email`] = row.email;
  });
  values.rows = String(rows.length);
  return values;
}

function hours(text: string): number | null {
  if (!/^\d{1,4}$/.test(text)) return null;
  const value = Number(text);
  return value <= 8_760 ? value : null;
}

export const actions: Actions = {
  /** More rows, or one row fewer: the same form back, as posted (works without JavaScript). */
  rows: async ({ request }) => {
    const posted = await Posted.of(request);
    let rows = rowsOf(posted);
    const remove = posted.text('remove');
    if (remove !== '' && rows.length > 1) rows = rows.filter((_, index) => String(index) !== remove);
    if (posted.has('more')) {
      const blank = { organization: '', name: '', email: '' };
      rows = [...rows, ...Array.from({ length: addRows }, () => blank)].slice(0, maxRows);
    }
    return echoed('rows', valuesWith(posted, rows));
  },

  /** Records the founding (once, by a facilitator), with an invitation for each first representative. */
  found: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};
    const coalitionName = posted.text('coalitionName');
    if (!coalitionName) fields.coalitionName = m.field_required();

    const rows = rowsOf(posted);
    const used: number[] = [];
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      if (!row.organization && !row.name && !row.email) return;
      used.push(index);
      if (!row.organization) fields[`org-${index}-name`] = m.field_required();
      if (!row.name) fields[`org-${index}-rep-name`] = m.field_required();
      if (!email.test(row.email)) fields[`org-${index}-rep-email`] = m.email_invalid();
      const address = row.email.toLowerCase();
      if (address && seen.has(address)) fields[`org-${index}-rep-email`] = m.founding_email_twice();
      seen.set(address, index);
    });
    if (used.length === 0) fields['org-0-name'] = m.founding_needs_organization();

    const feedback = hours(posted.text('minimumFeedbackHours'));
    if (feedback === null) fields.minimumFeedbackHours = m.hours_invalid();
    const urgentText = posted.text('urgentHours');
    const urgent = urgentText ? hours(urgentText) : null;
    if (urgentText && urgent === null) fields.urgentHours = m.hours_invalid();
    if (Object.keys(fields).length) return invalid('found', fields, posted);

    const result = await send(fetch, 'foundCoalition', {
      body: {
        coalitionName,
        rules: {
          quorum: { numerator: 2, denominator: 3 },
          minimumFeedbackHours: feedback as number,
          urgentPath: urgent === null ? null : { minimumFeedbackHours: urgent },
          blockFallback: null,
          decideWhenAllHaveSpoken: posted.text('decideWhenAllHaveSpoken') === 'yes',
        },
        sharedValues: posted
          .text('sharedValues')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
        sops: [],
        foundingMembers: used.map((index) => {
          const row = rows[index] as Row;
          return { name: row.organization, representatives: [{ name: row.name, email: row.email }] };
        }),
      },
      key: posted.key(),
    });
    if (!result.ok) {
      // Validation issues point into foundingMembers by position among the rows used.
      return refused('found', result.problem, posted, { INVALID_DECISION_RULES: 'urgentHours' }, (path) => {
        const match = /^foundingMembers\.(\d+)(?:\.representatives\.\d+)?\.(name|email)/.exec(path);
        if (!match) return path === 'coalitionName' ? 'coalitionName' : null;
        const row = used[Number(match[1])];
        if (row === undefined) return null;
        const inRepresentative = path.includes('representatives');
        return inRepresentative ? `org-${row}-rep-${match[2]}` : `org-${row}-name`;
      });
    }
    const names = new Map(used.map((index) => [rows[index]?.email.toLowerCase(), rows[index] as Row]));
    // The page after this one shows the links only once the read models have the founding.
    await readUntilShown(
      () => readOptional(fetch, 'charter'),
      (charter) => charter !== null,
    );
    return {
      ...accepted('found', m.coalition_founded()),
      invitations: result.body.invitations.map((invitation) => {
        const row = names.get(invitation.email.toLowerCase());
        return {
          organizationId: invitation.organizationId,
          organization: row?.organization ?? '',
          name: row?.name ?? invitation.email,
          email: invitation.email,
          link: invitation.link,
          expiresAt: invitation.expiresAt,
        };
      }),
    };
  },

  /**
   * A new link for a first representative who has not accepted yet (a link lost, or expired): inviting
   * the same address again sends a new one and records nothing new.
   */
  relink: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const organizationId = posted.text('organizationId');
    const name = posted.text('name');
    const address = posted.text('email');
    if (!email.test(address)) return invalid('relink', { email: m.email_invalid() }, posted);
    const result = await send(fetch, 'inviteRepresentative', {
      params: { organizationId },
      body: { name, email: address, reason: null },
      key: posted.key(),
    });
    if (!result.ok) return refused('relink', result.problem, posted, {}, () => 'email');
    // Another address is another person: invited by a facilitator, so their organization must confirm.
    const otherPerson = result.body.personId !== posted.text('personId');
    return {
      ...accepted('relink', otherPerson ? m.founding_relink_other_person({ name }) : null),
      invitations: [
        {
          organizationId,
          organization: posted.text('organization'),
          name,
          email: address,
          link: result.body.link,
          expiresAt: result.body.expiresAt,
        },
      ],
    };
  },
};
