import { randomUUID } from 'node:crypto';
import type { RouteContract, RouteId } from '@concord/contracts';
import { PILLARS } from '@concord/domain';
import { COSIGNATURE_TYPE, Ed25519Signer } from '@concord/transparency';
import { describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../src/notifications/unsubscribe.ts';
import { worldForSuite } from './support/suite.ts';
import {
  BUDGET,
  GROUP,
  ORG,
  orgOf,
  PARTNER_ORG,
  PARTNERSHIP,
  type PrincipalName,
  pathOf,
  principalNames,
  routes,
  testAgreement,
  testTransparency,
  type World,
} from './support/world.ts';

/** 'ok' is any 2xx; a number is that exact status. */
type Outcome = 'ok' | number;
/**
 * What each kind of person gets. A partner organization's person is named only where a route concerns
 * them; elsewhere they get what an auditor gets on public and own-account routes, and 403 on every other
 * (they see nothing of the coalition's but their partnership).
 */
type Outcomes = Record<Exclude<PrincipalName, 'partner'>, Outcome> & { partner?: Outcome };

interface Prepared {
  params?: Record<string, string>;
  body?: unknown;
  query?: string;
  headers?: Record<string, string>;
}

interface Scenario {
  name: string;
  expect: Outcomes;
  prepare?: (world: World, principal: PrincipalName) => Promise<Prepared>;
}

function outcomes(fallback: Outcome, overrides: Partial<Outcomes> = {}): Outcomes {
  return Object.fromEntries(
    principalNames.flatMap((name) =>
      name === 'partner' && overrides.partner === undefined ? [] : [[name, overrides[name] ?? fallback]],
    ),
  ) as Outcomes;
}

function expectedOf(scenario: Scenario, route: RouteContract, principal: PrincipalName): Outcome {
  const named = scenario.expect[principal];
  if (named !== undefined) return named;
  return route.access === 'public' || route.access === 'session' ? scenario.expect.auditor : 403;
}

/** The parties of the partnership act: every representative (for the coalition) and the partner. */
const parties = outcomes('ok', { anonymous: 401, facilitator: 403, auditor: 403, partner: 'ok' });

const everyone = outcomes('ok');
const signedIn = outcomes('ok', { anonymous: 401 });
const facilitatorsOnly = outcomes(403, { anonymous: 401, facilitator: 'ok' });
/** Any representative acts; facilitators and auditors are refused by the domain or the API. */
const representatives = outcomes('ok', { anonymous: 401, facilitator: 403, auditor: 403 });
/** Representatives and facilitators act; auditors change nothing. */
const people = outcomes('ok', { anonymous: 401, auditor: 403 });
/** Only the representative of organization A (whose resource it is). */
const onlyA = outcomes(403, { anonymous: 401, repA: 'ok' });
/** Only the stewarding working group's member. */
const onlyGroupMember = outcomes(403, { anonymous: 401, groupMember: 'ok' });
/** Every member organization's representatives, facilitators and auditors read everything. */
const readers = outcomes('ok', { anonymous: 401 });
const read = (prepare?: Scenario['prepare']): Scenario[] => [
  { name: 'everyone signed in reads everything', expect: readers, prepare },
];

let sharedCall: string | undefined;
async function settled<T>(world: World, value: T): Promise<T> {
  await world.settle();
  return value;
}

const sopPayload = (world: World) => ({
  kind: 'charterChange',
  rules: null,
  sharedValues: null,
  adoptSops: [{ sopId: world.id('sop'), title: 'Meetings', text: 'Monthly.' }],
  retireSopIds: [],
});

let sharedOpen: string | undefined;
async function sharedOpenProposal(world: World): Promise<string> {
  sharedOpen ??= await world.openBudgetProposal('repA');
  return sharedOpen;
}

/** A witness key of organization A, registered by its representative (as the portal or the CLI would). */
async function registeredWitnessKey(world: World): Promise<Ed25519Signer> {
  const witness = Ed25519Signer.generate(`witness.${world.id('a')}`, COSIGNATURE_TYPE);
  await world.as('repA', {
    type: 'RegisterWitnessKey',
    organizationId: ORG.A,
    witnessKey: witness.verifierKey,
  });
  return witness;
}

/** A checkpoint of everything so far, signed now. */
async function checkpointNow(world: World) {
  const log = world.app.witnessedLog;
  if (!log) throw new Error('the matrix world keeps a witnessed log');
  return log.checkpointNow();
}

let sharedWitness: Ed25519Signer | undefined;

let budgetProposal: string | undefined;
let translatedProposal: string | undefined;
let groupProposal: string | undefined;

const matrix = {
  health: [{ name: 'public', expect: everyone }],
  healthLive: [{ name: 'public', expect: everyone }],
  healthReady: [{ name: 'public', expect: everyone }],
  metrics: [{ name: 'public', expect: everyone }],
  openapi: [{ name: 'public', expect: everyone }],
  backup: [{ name: 'facilitators download backups', expect: facilitatorsOnly }],
  setup: [
    {
      name: 'refused once a facilitator exists, whoever asks',
      expect: outcomes(409),
      prepare: async (world) => {
        const { token } = await world.app.auth.issueToken('setup', null, {}, 60_000);
        return {
          body: {
            token,
            email: `${world.id('setup')}@example.org`,
            name: 'First',
            password: 'a long password',
          },
        };
      },
    },
  ],
  signIn: [
    {
      name: 'public',
      expect: everyone,
      prepare: async (world) => {
        const { email } = await world.person('Signer');
        return { body: { email, password: 'correct horse battery' } };
      },
    },
  ],
  signOut: [{ name: 'signed in', expect: signedIn }],
  me: [{ name: 'signed in', expect: signedIn }],
  sessions: [{ name: 'signed in', expect: signedIn }],
  revokeSession: [
    {
      name: 'one of my sessions',
      expect: signedIn,
      prepare: async (world, principal) => {
        if (principal === 'anonymous') return { params: { sessionId: randomUUID() } };
        const { sessionId } = await world.app.auth.createSession(
          world.people.get(principal)!.personId,
          'other',
        );
        return { params: { sessionId } };
      },
    },
  ],
  requestPasswordReset: [
    { name: 'public', expect: everyone, prepare: async () => ({ body: { email: 'someone@example.org' } }) },
  ],
  completePasswordReset: [
    {
      name: 'public, with the link',
      expect: everyone,
      prepare: async (world) => {
        const { personId } = await world.person('Forgetful');
        const { token } = await world.app.auth.issueToken('reset', personId, { personId }, 60_000);
        return { body: { token, password: 'a brand new password' } };
      },
    },
  ],
  inviteStaff: [
    {
      name: 'facilitators invite auditors',
      expect: facilitatorsOnly,
      prepare: async (world) => ({
        body: { role: 'auditor', email: `${world.id('aud')}@example.org`, name: 'Auditor' },
      }),
    },
  ],
  acceptInvitation: [
    {
      name: 'public, with the link',
      expect: everyone,
      prepare: async (world) => {
        const email = `${world.id('invitee')}@example.org`;
        const { personId } = await world.app.auth.inviteeId(email);
        await world.inviteToA(personId);
        await world.app.auth.sendInvitation(
          {
            role: 'representative',
            personId,
            email,
            name: 'Invitee',
            organizationId: ORG.A,
          },
          'Facilitator',
        );
        return { body: { token: world.t.mailer.lastToken(email), password: 'a long password' } };
      },
    },
    {
      name: "public, with a partner's link",
      expect: everyone,
      prepare: async (world) => {
        const email = `${world.id('partner')}@example.org`;
        const { personId } = await world.app.auth.inviteeId(email);
        await world.as('facilitator', {
          type: 'InvitePartnerContact',
          partnershipId: PARTNERSHIP,
          organizationId: PARTNER_ORG,
          personId,
        });
        await world.app.auth.sendInvitation(
          {
            role: 'partner',
            personId,
            email,
            name: 'Partner invitee',
            organizationId: PARTNER_ORG,
            partnershipId: PARTNERSHIP,
          },
          'Facilitator',
        );
        return { body: { token: world.t.mailer.lastToken(email), password: 'a long password' } };
      },
    },
  ],
  partnerships: [
    {
      name: 'the coalition reads every partnership, a partner its own',
      expect: outcomes('ok', { anonymous: 401, partner: 'ok' }),
    },
  ],
  partnership: [
    {
      name: 'the partner takes part in it: everyone reads it',
      expect: outcomes('ok', { anonymous: 401, partner: 'ok' }),
      prepare: async () => ({ params: { partnershipId: PARTNERSHIP } }),
    },
    {
      name: 'a partnership the partner takes no part in: hidden from the partner',
      expect: outcomes('ok', { anonymous: 401, partner: 404 }),
      prepare: async (world) => ({ params: { partnershipId: await freshPartnership(world) } }),
    },
  ],
  partnershipAsOf: [
    {
      name: 'the partner takes part in it: everyone reads it as it stood',
      expect: outcomes('ok', { anonymous: 401, partner: 'ok' }),
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP },
        query: `position=${await world.t.store.head()}`,
      }),
    },
    {
      name: 'a partnership the partner takes no part in: hidden from the partner, as today',
      expect: outcomes('ok', { anonymous: 401, partner: 404 }),
      prepare: async (world) => ({
        params: { partnershipId: await freshPartnership(world) },
        query: `time=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`,
      }),
    },
  ],
  checkInAnswers: [
    {
      name: 'the open round: everyone reads what they may (their own answer)',
      expect: outcomes('ok', { anonymous: 401, partner: 'ok' }),
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP, roundId: await sharedRound(world) },
      }),
    },
    {
      name: 'a round of a partnership the partner takes no part in: hidden from the partner',
      expect: outcomes('ok', { anonymous: 401, partner: 404 }),
      prepare: async (world) => {
        const partnershipId = await freshPartnership(world);
        return { params: { partnershipId, roundId: await openRound(world, partnershipId) } };
      },
    },
  ],
  reflections: [
    {
      name: 'everyone searches the shared learning they may read',
      expect: outcomes('ok', { anonymous: 401, partner: 'ok' }),
      prepare: async () => ({ query: 'q=learned' }),
    },
  ],
  invitePartnerContact: [
    {
      name: 'facilitators invite a partner organization’s people',
      expect: facilitatorsOnly,
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP },
        body: { organizationId: PARTNER_ORG, email: `${world.id('contact')}@example.org`, name: 'Contact' },
      }),
    },
  ],
  removePartnerContact: [
    {
      name: "another contact of the partner: the facilitator only (a partner's person ends their own part only)",
      expect: outcomes(403, { anonymous: 401, facilitator: 'ok' }),
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP, personId: (await world.partnerContact()).personId },
      }),
    },
  ],
  openCheckInRound: [
    {
      name: 'facilitators open rounds',
      expect: facilitatorsOnly,
      prepare: async (world) => ({
        params: { partnershipId: await freshPartnership(world) },
        body: { closesAt: inDays(7), pooled: true },
      }),
    },
  ],
  answerCheckIn: [
    {
      name: 'each party for its own organization: representatives and the partner',
      expect: parties,
      prepare: async (world, principal) => ({
        params: {
          partnershipId: PARTNERSHIP,
          roundId: await sharedRound(world),
          organizationId: principal === 'partner' ? PARTNER_ORG : (orgOf[principal] ?? ORG.A),
        },
        body: { answers: PILLARS.map((pillar) => ({ pillar, rating: 3 })), language: 'en' },
      }),
    },
    {
      name: "another organization's answer: nobody",
      expect: outcomes(403, { anonymous: 401 }),
      prepare: async (world, principal) => ({
        params: {
          partnershipId: PARTNERSHIP,
          roundId: await sharedRound(world),
          organizationId: principal === 'repB' ? ORG.A : ORG.B,
        },
        body: { answers: PILLARS.map((pillar) => ({ pillar, rating: 3 })), language: 'en' },
      }),
    },
  ],
  closeCheckInRound: [
    {
      name: 'facilitators close rounds',
      expect: facilitatorsOnly,
      prepare: async (world) => {
        const partnershipId = await freshPartnership(world);
        return { params: { partnershipId, roundId: await openRound(world, partnershipId) } };
      },
    },
  ],
  proposePartnershipAction: [
    {
      name: 'the parties propose actions',
      expect: parties,
      prepare: async () => ({
        params: { partnershipId: PARTNERSHIP },
        body: {
          pillar: 'coLeadership',
          ownerPartyId: 'coalition',
          dueDate: '2099-06-30',
          description: 'Co-chair',
        },
      }),
    },
  ],
  agreeToPartnershipAction: [
    {
      name: "the partner's proposal: the coalition's representatives agree (the partner already did)",
      expect: outcomes('ok', { anonymous: 401, facilitator: 403, auditor: 403, partner: 409 }),
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP, actionId: await partnerAction(world, false) },
      }),
    },
  ],
  followUpPartnershipAction: [
    {
      name: 'an agreed action: the parties follow it up',
      expect: parties,
      prepare: async (world) => ({
        params: { partnershipId: PARTNERSHIP, actionId: await partnerAction(world, true) },
        body: { status: 'inProgress', note: 'Started' },
      }),
    },
  ],
  recordReflection: [
    {
      name: 'the parties record what they learned',
      expect: parties,
      prepare: async () => ({
        params: { partnershipId: PARTNERSHIP },
        body: {
          about: { kind: 'grant', reference: 'Grant 1' },
          whatWorked: 'Clear reports',
          whatShouldChange: 'Earlier transfers',
          strengths: 'Trust',
          weaknesses: 'Delays',
          communityOutcomes: 'Forty families',
          language: 'en',
        },
      }),
    },
  ],
  foundCoalition: [
    {
      name: 'facilitators only; already founded',
      expect: outcomes(403, { anonymous: 401, facilitator: 409 }),
      prepare: async () => ({ body: { coalitionName: 'Again', foundingMembers: [{ name: 'X' }] } }),
    },
  ],
  inviteRepresentative: [
    {
      name: "to organization A: A's representatives and facilitators",
      expect: outcomes(403, { anonymous: 401, repA: 'ok', facilitator: 'ok' }),
      prepare: async (world) => ({
        params: { organizationId: ORG.A },
        body: { email: `${world.id('new')}@example.org`, name: 'New representative' },
      }),
    },
  ],
  removeRepresentative: [
    {
      name: "a representative of A: A's representatives",
      expect: onlyA,
      prepare: async (world) => {
        const { personId } = await world.representative(ORG.A, 'Leaving');
        return { params: { organizationId: ORG.A, personId } };
      },
    },
  ],
  forgetPerson: [
    {
      name: "a representative of A: the person, A's representatives and the facilitator carry it out",
      expect: outcomes(403, { anonymous: 401, repA: 'ok', facilitator: 'ok' }),
      prepare: async (world) => {
        const { personId } = await world.representative(ORG.A, 'Forgettable');
        return { params: { personId }, body: {} };
      },
    },
  ],
  confirmRepresentative: [
    {
      name: "a person the facilitator invited to A: A's representatives confirm, never the facilitator",
      expect: onlyA,
      prepare: async (world) => {
        const { personId } = await world.person('Invited');
        await world.inviteToA(personId);
        return { params: { organizationId: ORG.A, personId }, body: { reason: 'Our new treasurer' } };
      },
    },
  ],
  updateMemberProfile: [
    {
      name: "A's profile",
      expect: onlyA,
      prepare: async () => ({
        params: { organizationId: ORG.A },
        body: {
          availability: 'Tuesdays',
          interests: ['grants'],
          goals: ['learn'],
          timeCommitmentHoursPerMonth: 4,
          languages: ['ar'],
        },
      }),
    },
  ],
  joinWorkingGroup: [
    {
      name: 'a group my organization is not in',
      expect: representatives,
      prepare: async (world) => ({ params: { groupId: await world.group([]) }, body: { hoursPerMonth: 3 } }),
    },
  ],
  leaveWorkingGroup: [
    {
      name: "A's membership",
      expect: onlyA,
      prepare: async (world) => ({
        params: { groupId: await world.group([ORG.A, ORG.W]), organizationId: ORG.A },
      }),
    },
    {
      name: "my own organization's membership of a group only W is in",
      expect: outcomes(409, { anonymous: 401, groupMember: 'ok', facilitator: 403, auditor: 403 }),
      prepare: async (world, principal) => ({
        params: {
          groupId: await world.group([ORG.W]),
          organizationId: world.people.get(principal)?.actor.organizationId ?? ORG.A,
        },
      }),
    },
  ],
  commitTime: [
    {
      name: "A's time",
      expect: onlyA,
      prepare: async (world) => ({
        params: { groupId: await world.group([ORG.A]), organizationId: ORG.A },
        body: { hoursPerMonth: 6 },
      }),
    },
  ],
  raiseBudgetQuestion: [
    {
      name: 'any member organization asks',
      expect: representatives,
      prepare: async () => ({
        params: { budgetId: BUDGET },
        body: { lineId: 'ops', text: 'What is this for?' },
      }),
    },
  ],
  submitExpense: [
    {
      name: 'any member organization submits; a group member alone in its group could approve it only itself',
      expect: { ...representatives, groupMember: 422 },
      prepare: async () => ({
        params: { budgetId: BUDGET },
        body: { lineId: 'ops', amount: 5_000, description: 'Taxi to the meeting', spentOn: '2025-03-02' },
      }),
    },
  ],
  approveExpense: [
    {
      name: "the stewarding group's members approve, never the submitter",
      expect: onlyGroupMember,
      prepare: async (world) => ({ params: { budgetId: BUDGET, expenseId: await world.expense() } }),
    },
  ],
  rejectExpense: [
    {
      name: "the stewarding group's members reject",
      expect: onlyGroupMember,
      prepare: async (world) => ({
        params: { budgetId: BUDGET, expenseId: await world.expense() },
        body: { reason: 'No receipt' },
      }),
    },
  ],
  withdrawExpense: [
    {
      name: 'only the submitting organization withdraws',
      expect: onlyA,
      prepare: async (world) => ({
        params: { budgetId: BUDGET, expenseId: await world.expense() },
        body: {},
      }),
    },
  ],
  markExpensePaid: [
    {
      name: "the stewarding group's members record the payment",
      expect: onlyGroupMember,
      prepare: async (world) => ({
        params: { budgetId: BUDGET, expenseId: await world.approvedExpense() },
        body: { reference: 'Transfer 42' },
      }),
    },
  ],
  answerBudgetQuestion: [
    {
      name: "the stewarding group's members answer",
      expect: onlyGroupMember,
      prepare: async (world) => {
        const questionId = await world.budgetQuestion();
        return { params: { budgetId: BUDGET, questionId }, body: { answer: 'Because.' } };
      },
    },
  ],
  publishGrantCall: [
    {
      name: "the grants line's stewarding group publishes",
      expect: onlyGroupMember,
      prepare: async () => ({
        body: {
          title: 'Round 1',
          description: 'Small grants',
          criteria: ['Refugee-led'],
          budgetId: BUDGET,
          lineId: 'grants',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
    },
  ],
  submitGrantApplication: [
    {
      name: 'representatives for their organization, facilitators for an outside one',
      expect: people,
      prepare: async (world) => ({
        params: { grantCallId: await world.grantCall() },
        body: { applicantName: 'Us', amountRequested: 5_000, summary: 'A project' },
      }),
    },
  ],
  reviewGrantApplication: [
    {
      name: "the stewarding group reviews A's application",
      expect: onlyGroupMember,
      prepare: async (world) => {
        const { grantCallId, applicationId } = await world.grantApplication();
        return {
          params: { grantCallId, applicationId },
          body: { recommendation: 'fund', assessment: 'Good' },
        };
      },
    },
  ],
  draftProposal: [
    {
      name: 'representatives and facilitators propose',
      expect: people,
      prepare: async (world) => ({ body: { title: 'T', body: 'B', payload: sopPayload(world) } }),
    },
  ],
  amendProposal: [
    {
      name: "A's draft",
      expect: onlyA,
      prepare: async (world) => ({
        params: { proposalId: await world.draft('repA') },
        body: { title: 'T2', body: 'B2', payload: sopPayload(world) },
      }),
    },
  ],
  openProposal: [
    {
      name: "A's draft",
      expect: onlyA,
      prepare: async (world) => ({ params: { proposalId: await world.draft('repA') }, body: {} }),
    },
  ],
  commentOnProposal: [
    {
      name: 'everyone but auditors, recused included',
      expect: people,
      prepare: async (world) => ({
        params: { proposalId: await sharedOpenProposal(world) },
        body: { text: 'I agree' },
      }),
    },
  ],
  addTranslation: [
    {
      name: "any member organization's representative translates, recused included; not the secretariat",
      expect: representatives,
      prepare: async (world) => {
        translatedProposal ??= await world.openBudgetProposal('repA');
        return {
          params: { proposalId: translatedProposal },
          body: {
            item: { kind: 'proposal' },
            version: 1,
            sourceLanguage: 'en',
            language: 'es',
            title: 'Más para operaciones',
            text: 'Traducción del texto.',
          },
        };
      },
    },
  ],
  takeStance: [
    {
      name: 'a coalition proposal on the ops line: its partner R is recused',
      expect: outcomes('ok', { anonymous: 401, recused: 403, facilitator: 403, auditor: 403 }),
      prepare: async (world) => {
        budgetProposal ??= await world.openBudgetProposal('repA');
        return { params: { proposalId: budgetProposal }, body: { stance: 'consent' } };
      },
    },
    {
      name: "a working group's proposal: only its members take stances",
      expect: onlyGroupMember,
      prepare: async (world) => {
        groupProposal ??= await world.openGroupProposal('groupMember');
        return { params: { proposalId: groupProposal }, body: { stance: 'concerns', reason: 'Timing' } };
      },
    },
  ],
  withdrawProposal: [
    {
      name: "A's draft",
      expect: onlyA,
      prepare: async (world) => ({
        params: { proposalId: await world.draft('repA') },
        body: { reason: 'Changed our mind' },
      }),
    },
  ],
  scheduleDecision: [
    {
      name: 'representatives and facilitators schedule',
      expect: people,
      prepare: async (world) => ({
        params: { proposalId: await sharedOpenProposal(world) },
        body: { scheduledFor: new Date(Date.now() + 3_600_000).toISOString() },
      }),
    },
  ],
  remindUndecided: [
    {
      name: 'facilitators remind (a fresh proposal each time: once a day per proposal)',
      expect: facilitatorsOnly,
      prepare: async (world) => ({
        params: { proposalId: await world.openBudgetProposal('repA') },
        body: {},
      }),
    },
  ],
  decideProposal: [
    {
      name: 'anyone but auditors asks; the outcome is computed',
      expect: people,
      prepare: async (world) => {
        const proposalId = await world.draft('repA');
        await world.open('repA', proposalId);
        for (const name of ['repA', 'repB', 'groupMember', 'nonMember'] as const)
          await world.stance(name, proposalId);
        return { params: { proposalId }, body: {} };
      },
    },
  ],
  status: read(),
  charter: read(),
  members: read(),
  member: read(async () => ({ params: { organizationId: ORG.A } })),
  workingGroups: read(),
  workingGroup: read(async () => ({ params: { groupId: GROUP } })),
  budgets: read(),
  budget: read(async () => ({ params: { budgetId: BUDGET } })),
  lineHistory: read(async () => ({ params: { budgetId: BUDGET, lineId: 'ops' }, query: 'limit=10' })),
  budgetCsv: read(async () => ({ params: { budgetId: BUDGET } })),
  questions: read(async () => ({ params: { budgetId: BUDGET }, query: 'status=open' })),
  expenses: read(async () => ({ params: { budgetId: BUDGET }, query: 'lineId=ops' })),
  expense: read(async (world) => ({
    params: { budgetId: BUDGET, expenseId: await settled(world, await world.expense()) },
  })),
  proposals: read(async () => ({ query: 'status=open&limit=5' })),
  proposal: read(async (world) => ({
    params: { proposalId: await settled(world, await sharedOpenProposal(world)) },
  })),
  grantCalls: read(),
  grantCall: read(async (world) => {
    sharedCall ??= await world.grantCall();
    return { params: { grantCallId: await settled(world, sharedCall) } };
  }),
  auditTrail: read(async () => ({ query: `organization=${ORG.A}&type=StanceTaken&limit=5` })),
  people: read(),
  verification: read(),
  startReplay: read(async (world) => {
    // One check at a time: each reader's request starts one once the previous has finished.
    await world.app.replays?.settled();
    return {};
  }),
  currentReplay: read(async (world) => {
    await world.app.replays?.settled();
    return {};
  }),
  exportEvents: read(async () => ({ query: `format=csv&organization=${ORG.A}&to=1` })),
  budgetAsOf: read(async (world) => ({
    params: { budgetId: BUDGET },
    query: `position=${await world.t.store.head()}`,
  })),
  membersAsOf: read(async () => ({ query: `time=${encodeURIComponent(new Date().toISOString())}` })),
  workingGroupAsOf: read(async (world) => ({
    params: { groupId: GROUP },
    query: `position=${await world.t.store.head()}`,
  })),
  proposalAsOf: read(async (world) => ({
    params: { proposalId: await sharedOpenProposal(world) },
    query: `time=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`,
  })),
  logState: read(),
  logCheckpoint: read(async (world) => {
    await checkpointNow(world);
    return {};
  }),
  logInclusionProof: read(async (world) => {
    const { size } = await checkpointNow(world);
    const [first] = await world.t.store.readAll({ after: 0, limit: 1 });
    return { query: `position=${first?.globalPosition}&size=${size}` };
  }),
  logConsistencyProof: read(async (world) => {
    const { size } = await checkpointNow(world);
    return { query: `from=1&to=${size}` };
  }),
  requestCheckpoint: [{ name: 'representatives and facilitators ask for one', expect: people }],
  postCosignature: [
    {
      name: "a cosignature by A's registered witness key: only A's representatives hand it in",
      expect: onlyA,
      prepare: async (world) => {
        sharedWitness ??= await registeredWitnessKey(world);
        const { size, note } = await checkpointNow(world);
        const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
        return {
          body: { size, cosignature: sharedWitness.cosignatureLine(text, Math.floor(Date.now() / 1000)) },
        };
      },
    },
  ],
  registerWitnessKey: [
    {
      name: "A's witness key: A's representatives register it",
      expect: onlyA,
      prepare: async (world) => ({
        params: { organizationId: ORG.A },
        body: { witnessKey: Ed25519Signer.generate(`w.${world.id('k')}`, COSIGNATURE_TYPE).verifierKey },
      }),
    },
  ],
  revokeWitnessKey: [
    {
      name: "A's witness key: A's representatives revoke it",
      expect: onlyA,
      prepare: async (world) => ({
        params: { organizationId: ORG.A },
        body: { witnessKey: (await registeredWitnessKey(world)).verifierKey, reason: 'Replaced' },
      }),
    },
  ],
  live: [
    {
      name: 'readers only (the upgrade is refused before it happens); a plain GET is told to upgrade',
      expect: outcomes(426, { anonymous: 401 }),
    },
  ],
  notifications: [{ name: 'everyone with a role reads their own', expect: readers }],
  markNotificationsRead: [
    {
      name: 'everyone with a role marks their own',
      expect: readers,
      prepare: async () => ({ body: { all: true } }),
    },
  ],
  follows: [{ name: 'everyone with a role lists their own', expect: readers }],
  follow: [
    {
      name: 'everyone with a role follows what they may read',
      expect: readers,
      prepare: async () => ({ params: { subjectType: 'budgetLine', subjectId: 'grants' } }),
    },
  ],
  unfollow: [
    {
      name: 'everyone with a role unfollows',
      expect: readers,
      prepare: async () => ({ params: { subjectType: 'budgetLine', subjectId: 'grants' } }),
    },
  ],
  notificationSettings: [{ name: 'everyone with a role reads their own', expect: readers }],
  changeNotificationSettings: [
    {
      name: 'everyone with a role changes their own',
      expect: readers,
      prepare: async () => ({ body: { timeZone: 'Africa/Kampala', digestHour: 7 } }),
    },
  ],
  unsubscribe: [
    {
      name: "a mail's link works without signing in, for whoever holds it",
      expect: everyone,
      prepare: async (world) => ({ query: `token=${await unsubscribeLink(world)}` }),
    },
    {
      name: 'a forged link is refused for everyone',
      expect: outcomes(400),
      prepare: async () => ({ query: 'token=cGVyc29u.decisionTaken.forgedforgedforged' }),
    },
  ],
  mailStatus: [{ name: 'facilitators only', expect: facilitatorsOnly }],
  calendarLink: [{ name: 'everyone with a role reads their own', expect: readers }],
  createCalendarLink: [{ name: 'everyone with a role makes their own', expect: readers }],
  revokeCalendarLink: [{ name: 'everyone with a role revokes their own', expect: readers }],
  calendarFeed: [
    {
      name: "a link's secret opens its feed without signing in, for whoever holds it",
      expect: everyone,
      prepare: async (world) => ({ params: { token: await calendarToken(world) } }),
    },
    {
      name: 'an unknown secret is a 404 for everyone',
      expect: outcomes(404),
      prepare: async () => ({ params: { token: 'A'.repeat(43) } }),
    },
  ],
  uploadAttachment: [
    {
      name: 'representatives and facilitators upload documents; auditors change nothing',
      expect: people,
      prepare: async () => ({
        body: pdfBytes('matrix upload'),
        headers: { 'content-type': 'application/pdf' },
      }),
    },
  ],
  downloadAttachment: [
    {
      name: 'a document a comment cites without restriction: everyone signed in reads it',
      expect: readers,
      prepare: async (world) => ({ params: { sha256: await citedDocument(world, false) } }),
    },
    {
      name: "a restricted receipt: the submitting organization and the approving group's members only",
      expect: outcomes(404, { anonymous: 401, repA: 'ok', groupMember: 'ok' }),
      prepare: async (world) => ({ params: { sha256: await citedDocument(world, true) } }),
    },
    {
      name: 'a document nobody cites yet: its uploader only',
      expect: outcomes(404, { anonymous: 401, repB: 'ok' }),
      prepare: async (world) => ({ params: { sha256: await uncitedDocument(world) } }),
    },
  ],
} satisfies Record<RouteId, Scenario[]>;

/** A small PDF whose bytes differ with `text` (each its own document). */
function pdfBytes(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);
}

const sharedDocuments = new Map<string, string>();
/** A document uploaded by repA and cited once: in a comment (unrestricted) or as an expense's restricted receipt. */
async function citedDocument(world: World, restricted: boolean): Promise<string> {
  const key = restricted ? 'restricted' : 'open';
  const known = sharedDocuments.get(key);
  if (known) return known;
  const uploaded = await world.request('repA', 'POST', '/api/attachments', pdfBytes(`matrix ${key}`), {
    'content-type': 'application/pdf',
  });
  const ref = { ...(uploaded.json() as { sha256: string; mediaType: string; size: number }), restricted };
  const cited = restricted
    ? await world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses`, {
        lineId: 'ops',
        amount: 1_000,
        description: 'Printing',
        spentOn: '2025-03-02',
        receipts: [ref],
      })
    : await world.request('repA', 'POST', `/api/proposals/${await sharedOpenProposal(world)}/comments`, {
        text: 'See the quote',
        attachments: [ref],
      });
  expect(cited.statusCode, cited.body).toBeLessThan(300);
  await world.settle();
  sharedDocuments.set(key, ref.sha256 as string);
  return ref.sha256 as string;
}

/** A document repB uploaded and no record cites. */
async function uncitedDocument(world: World): Promise<string> {
  const known = sharedDocuments.get('uncited');
  if (known) return known;
  const uploaded = await world.request('repB', 'POST', '/api/attachments', pdfBytes('matrix uncited'), {
    'content-type': 'application/pdf',
  });
  const { sha256 } = uploaded.json() as { sha256: string };
  sharedDocuments.set('uncited', sha256);
  return sha256;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A new partnership with P (as an executed decision), without contacts. */
async function freshPartnership(world: World): Promise<string> {
  const partnershipId = world.id('partnership');
  await world.as(world.system(), {
    type: 'EstablishPartnership',
    partnershipId,
    title: 'Another partnership',
    partners: [{ organizationId: PARTNER_ORG, name: 'Organization P', kind: 'donor' }],
    agreement: testAgreement,
    checkInEveryMonths: 6,
    execution: world.execution('partnership'),
  });
  await world.settle();
  return partnershipId;
}

/** Opens a round in a partnership; its id. */
async function openRound(world: World, partnershipId: string): Promise<string> {
  const roundId = world.id('round');
  await world.as('facilitator', {
    type: 'OpenCheckInRound',
    partnershipId,
    roundId,
    closesAt: inDays(7),
    pooled: true,
  });
  await world.settle();
  return roundId;
}

let sharedRoundId: string | undefined;
/** The round open in the shared partnership. */
async function sharedRound(world: World): Promise<string> {
  sharedRoundId ??= await openRound(world, PARTNERSHIP);
  return sharedRoundId;
}

/** An action the partner proposed in the shared partnership, agreed by the coalition too if `agreed`. */
async function partnerAction(world: World, agreed: boolean): Promise<string> {
  const actionId = world.id('action');
  const base = { now: world.now(), partnershipId: PARTNERSHIP, actionId };
  await world.command({
    type: 'ProposePartnershipAction',
    actor: world.actor('partner'),
    ...base,
    roundId: null,
    pillar: 'sharedLearning',
    ownerPartyId: PARTNER_ORG,
    dueDate: '2099-03-31',
    description: 'Publish the evaluation',
  });
  if (agreed) await world.command({ type: 'AgreeToPartnershipAction', actor: world.actor('repA'), ...base });
  return actionId;
}

let sharedCalendarToken: string | undefined;
/** The secret of repA's calendar link, made once (making another would revoke it). */
async function calendarToken(world: World): Promise<string> {
  if (!sharedCalendarToken) {
    const made = await world.request('repA', 'POST', '/api/calendar-link');
    sharedCalendarToken = new URL(made.json().url).pathname.split('/').at(-1);
  }
  return sharedCalendarToken as string;
}

/** An unsubscribe token of repA's, as their mails carry it. */
async function unsubscribeLink(world: World): Promise<string> {
  const personId = world.actor('repA').personId;
  const settings = await world.app.notifications.queries.settings(personId);
  return unsubscribeToken(settings.unsubscribe_secret, personId, 'decisionTaken');
}

describe('authorization matrix: every route × every kind of person', () => {
  let world: World;
  worldForSuite({ transparency: testTransparency() }, (created) => {
    world = created;
  });

  it('has rows for every route of the contract', () => {
    for (const id of Object.keys(routes)) {
      expect(matrix[id as RouteId]?.length ?? 0, `matrix rows for ${id}`).toBeGreaterThan(0);
    }
  });

  for (const [routeId, scenarios] of Object.entries(matrix) as [RouteId, Scenario[]][]) {
    const route = routes[routeId];
    for (const scenario of scenarios) {
      it(`${route.method} ${route.path} — ${scenario.name}`, async () => {
        const seen: Record<string, number> = {};
        for (const principal of principalNames) {
          const prepared = (await scenario.prepare?.(world, principal)) ?? {};
          const url =
            pathOf(route.path, prepared.params ?? {}) + (prepared.query ? `?${prepared.query}` : '');
          const body = prepared.body ?? ((route as RouteContract).body ? {} : undefined);
          const response = await world.request(principal, route.method, url, body, prepared.headers);
          seen[principal] = response.statusCode;
          const expected = expectedOf(scenario, route as RouteContract, principal);
          if (response.statusCode >= 400) {
            expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          }
          if (expected === 'ok') {
            expect(response.statusCode, `${principal}: ${response.body}`).toBeGreaterThanOrEqual(200);
            expect(response.statusCode, `${principal}: ${response.body}`).toBeLessThan(300);
          } else {
            expect(response.statusCode, `${principal}: ${response.body}`).toBe(expected);
          }
        }
      });
    }
  }
});
