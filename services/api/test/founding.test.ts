import { foundingResultSchema, meSchema } from '@concord/contracts';
import { type BudgetState, type CharterState, defaultDecisionRules } from '@concord/domain';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/plugin.ts';
import { MemoryMailer } from '../src/mail.ts';
import { type TestApp, testApp } from './support/world.ts';

/**
 * A new coalition gets going in one sitting, on the server's real clock and the default charter (seven
 * days of feedback): every decision below is taken within the test because every founding organization
 * spoke and none blocked. Mail is off, as in the embedded default: links are handed to the facilitator.
 */
describe('a founding that works in one sitting', () => {
  let t: TestApp;
  const mailer = new MemoryMailer(false);
  const cookies = new Map<string, string>();
  const organizations = ['Sawa Women', 'Kampala Youth Voice', 'Bogotá Legal Aid', 'Penang Learning'];

  beforeAll(async () => {
    t = await testApp({ mailer });
  }, 120_000);
  afterAll(() => t?.close());

  const cookieOf = (response: LightMyRequestResponse) =>
    response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value as string;
  const call = async (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await t.app.inject({
      method,
      url,
      payload: payload as never,
      cookies: who ? { [SESSION_COOKIE]: cookies.get(who) as string } : {},
    });
    return response;
  };
  const ok = async (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await call(who, method, url, payload);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };
  const settle = async () => {
    for (let round = 0; round < 3; round++) {
      const head = await t.store.head();
      await t.app.processes.execution.waitFor(head);
      await t.app.readSide?.waitFor(await t.store.head(), 30_000);
    }
  };
  let organizationIds: string[] = [];
  const reps = () => organizationIds.map((_, index) => `rep-${index}`);

  /** Drafted by the facilitator, opened, consented by `consenting`, decided: the decision's answer. */
  async function decideTogether(payload: unknown, consenting = reps()) {
    const draft = await ok('facilitator', 'POST', '/api/proposals', {
      title: 'Founding step',
      body: 'As agreed.',
      payload,
    });
    const proposalId = draft.created.proposalId as string;
    await ok('facilitator', 'POST', `/api/proposals/${proposalId}/opening`, {});
    for (const rep of consenting) {
      await ok(rep, 'POST', `/api/proposals/${proposalId}/stances`, { stance: 'consent' });
    }
    const decided = await call('facilitator', 'POST', `/api/proposals/${proposalId}/decision`);
    return { proposalId, decided };
  }

  it('founds the coalition with its organizations and their first representatives, links handed over', async () => {
    const setupLink = await t.app.auth.setupLinkIfNeeded();
    const setup = await call(null, 'POST', '/api/setup', {
      token: new URL(setupLink as string).searchParams.get('token'),
      email: 'secretariat@example.org',
      name: 'Amina',
      password: 'a long facilitator password',
    });
    expect(setup.statusCode, setup.body).toBe(201);
    cookies.set('facilitator', cookieOf(setup));

    const founded = foundingResultSchema.parse(
      await ok('facilitator', 'POST', '/api/coalition', {
        coalitionName: 'Refugee-Led Coalition',
        foundingMembers: organizations.map((name, index) => ({
          name,
          representatives: [{ name: `Representative ${index}`, email: `rep-${index}@example.org` }],
        })),
      }),
    );
    organizationIds = founded.created.organizationIds as string[];
    expect(organizationIds).toHaveLength(4);
    // Mail is off: the facilitator gets every link to pass on.
    expect(founded.invitations).toHaveLength(4);
    await settle();
    for (const [index, invitation] of founded.invitations.entries()) {
      expect(invitation.link).toMatch(/\/invitations\/accept\?token=/);
      const accepted = await call(null, 'POST', '/api/invitations/accept', {
        token: new URL(invitation.link as string).searchParams.get('token'),
        password: `a long password for ${index}`,
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
      // Named by the founding: they represent their organization at once.
      expect(meSchema.parse(accepted.json())).toMatchObject({
        role: 'representative',
        organizationId: organizationIds[index],
      });
      cookies.set(`rep-${index}`, cookieOf(accepted));
    }
    expect(mailer.outbox).toHaveLength(4);
  }, 120_000);

  it('adopts the charter, the opening budget and a working group stewarding its line, in minutes', async () => {
    expect(defaultDecisionRules.minimumFeedbackHours).toBe(168);
    const charter = await decideTogether({
      kind: 'charterChange',
      rules: null,
      sharedValues: ['Each organization has one equal voice.'],
      adoptSops: [{ sopId: 'sop-languages', title: 'Languages', text: 'Arabic, English, French, Spanish.' }],
      retireSopIds: [],
    });
    expect(charter.decided.statusCode, charter.decided.body).toBe(200);
    expect(charter.decided.json().events[0].type).toBe('ProposalDecided');

    const budget = await decideTogether({
      kind: 'budgetChange',
      budgetId: 'fy2027',
      opening: { name: '2027', fiscalPeriod: { start: '2027-01-01', end: '2027-12-31' }, currency: 'USD' },
      changes: [
        {
          op: 'createLine',
          lineId: 'grants',
          name: 'Grants to refugee-led organizations',
          category: 'grants',
          stewardGroupId: null,
          partnerOrganizationIds: [],
          allocated: 50_000_000,
        },
        {
          op: 'createLine',
          lineId: 'core',
          name: 'Core costs',
          category: 'coreCosts',
          stewardGroupId: null,
          partnerOrganizationIds: [],
          allocated: 10_000_000,
        },
      ],
    });
    expect(budget.decided.statusCode, budget.decided.body).toBe(200);
    await settle();

    const group = await decideTogether({
      kind: 'workingGroup',
      change: {
        action: 'create',
        groupId: 'grants-wg',
        name: 'Grants',
        purpose: 'Runs the grant rounds',
        mandate: {
          summary: 'Grant rounds, up to USD 10,000 per decision',
          budgetLines: [{ budgetId: 'fy2027', lineId: 'grants' }],
          perDecisionLimit: { maxAmount: { amount: 1_000_000, currency: 'USD' }, maxShareBasisPoints: null },
        },
        takeOverLines: true,
      },
    });
    expect(group.decided.statusCode, group.decided.body).toBe(200);
    await settle();

    for (const { proposalId } of [charter, budget, group]) {
      const proposal = await ok('rep-0', 'GET', `/api/proposals/${proposalId}`);
      expect(proposal.status, proposalId).toBe('executed');
      expect(proposal.outcome).toMatchObject({ outcome: 'adopted', reason: 'everyoneHasSpoken' });
    }
    const charterState = (await t.app.facts.charter()) as Extract<CharterState, { status: 'founded' }>;
    expect(charterState.sops['sop-languages']?.title).toBe('Languages');
    const budgetState = (await t.app.facts.budget('fy2027')) as Extract<BudgetState, { status: 'open' }>;
    expect(budgetState.lines.grants?.stewardGroupId).toBe('grants-wg');
    expect(budgetState.lines.core?.stewardGroupId).toBeNull();
  }, 180_000);

  it('still waits for the window while one organization is silent', async () => {
    const { decided } = await decideTogether(
      {
        kind: 'charterChange',
        rules: null,
        sharedValues: ['Each organization has one equal voice.', 'Money follows decisions.'],
        adoptSops: [],
        retireSopIds: [],
      },
      reps().slice(0, 3),
    );
    expect(decided.statusCode).toBe(409);
    expect(decided.json()).toMatchObject({ code: 'FEEDBACK_WINDOW_OPEN' });
  }, 120_000);
});
