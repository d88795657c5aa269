// The demo coalition's people and pages, read through the API: shared by the browser tests (layout.test.ts
// walks every page, measuring it and, in English and Arabic, running axe) so the list of pages is written
// once.
import type { RunningConcord } from './concord.ts';

export interface DemoPages {
  password: string;
  /** Demo people by role (e-mail addresses). */
  people: { representative: string; second: string; facilitator: string; auditor: string; resetter: string };
  /** Every signed-in page, with the seeded records' ids filled in. */
  mainPages: string[];
  /** Signed-in pages not in mainPages (walked as well: a record's own page, the account, a filtered list). */
  morePages: string[];
  /** Pages anyone can open without signing in. */
  publicPages: string[];
  openProposalId: string;
  otherOpenProposalId: string;
  otherOrganizationId: string;
  representativeOrganizationId: string;
}

/** Reads the seeded coalition (as its first representative) and lists the portal's pages for it. */
export async function demoPages(concord: RunningConcord): Promise<DemoPages> {
  const demo = concord.demo;
  if (!demo) throw new Error('demoPages needs a Concord started with { demo: true }');
  const representatives = demo.people.filter((person) => person.role === 'representative');
  const people = {
    representative: representatives[0]!.email,
    second: representatives.find((person) => person.organization !== representatives[0]!.organization)!.email,
    resetter: representatives.at(-1)!.email,
    facilitator: demo.people.find((person) => person.role === 'facilitator')!.email,
    auditor: demo.people.find((person) => person.role === 'auditor')!.email,
  };

  const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: people.representative, password: demo.password }),
  });
  const me = (await signIn.json()) as { organizationId: string };
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  const get = async <T>(path: string) =>
    (await (await fetch(`${concord.url}${path}`, { headers: { cookie } })).json()) as T;
  const { proposals } = await get<{ proposals: { proposalId: string; status: string; kind: string }[] }>(
    '/api/proposals',
  );
  const { members } = await get<{ members: { organizationId: string }[] }>('/api/members');
  const { budgets } = await get<{ budgets: { budgetId: string }[] }>('/api/budgets');
  const { grantCalls } = await get<{ grantCalls: { grantCallId: string }[] }>('/api/grant-calls');
  const budgetId = budgets[0]!.budgetId;
  // An open budget change the representative's organization has not answered yet (seeded that way).
  const openProposalId = proposals.find((p) => p.status === 'open' && p.kind === 'budgetChange')!.proposalId;
  const otherOpenProposalId = proposals.find(
    (p) => p.status === 'open' && p.proposalId !== openProposalId,
  )!.proposalId;
  const otherOrganizationId = members.find(
    (member) => member.organizationId !== me.organizationId,
  )!.organizationId;
  const mainPages = [
    '/',
    '/proposals',
    `/proposals/${openProposalId}`,
    `/proposals/${proposals.find((p) => p.status === 'executed')!.proposalId}`,
    '/proposals/new',
    '/proposals/new/budget-change',
    '/proposals/new/grant-award',
    '/proposals/new/working-group',
    '/proposals/new/charter-change',
    '/proposals/new/membership-change',
    '/founding',
    '/budget',
    `/budget/${budgetId}/lines/translation`,
    // A line with expenses approved, paid and rejected (the demo's Finance group approves expenses).
    `/budget/${budgetId}/lines/travel`,
    '/expenses',
    '/working-groups',
    '/working-groups/wg-grants',
    '/members',
    `/members/${me.organizationId}`,
    '/grants',
    `/grants/${grantCalls[0]!.grantCallId}`,
    '/charter',
    '/audit',
    '/audit?verify=1',
    '/account/sessions',
    '/notifications',
    '/account/notifications',
  ];
  return {
    password: demo.password,
    people,
    mainPages,
    morePages: [`/budget/${budgetId}`, '/account', '/proposals?status=withdrawn&kind=grantAward'],
    publicPages: [
      '/sign-in',
      '/password-reset',
      '/privacy',
      '/glossary',
      `/setup?token=${'x'.repeat(24)}`,
      `/invitations/accept?token=${'y'.repeat(24)}`,
      `/unsubscribe?token=${'z'.repeat(24)}`,
    ],
    openProposalId,
    otherOpenProposalId,
    otherOrganizationId,
    representativeOrganizationId: me.organizationId,
  };
}
