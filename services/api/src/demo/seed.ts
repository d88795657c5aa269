import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandResult } from '@concord/contracts';
import { PILLARS, type PillarId } from '@concord/domain';
import type { EventStore } from '@concord/event-store';
import { runSeed } from '@concord/generator';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { pipelineSeedRunner } from '../commands/seed-runner.ts';
import { MemoryMailer } from '../mail.ts';
import { buildServer } from '../server.ts';

/**
 * The demo coalition, seeded through the API itself: the founding, the working groups and the opening
 * budget go through the one coalition seeder (`@concord/generator`'s `seedSteps`, ADR 0020) and this
 * server's command pipeline; everything after is an HTTP request (injected, never over the network) to
 * the same routes, validation, command pipeline and process steps that serve people, so the audit trail
 * is real. Only time is staged: a decision needs its feedback window (7 days) to pass, so the seeding
 * runs on a server of its own whose clock starts 45 days ago and is moved forward between steps (never
 * past the real time). Commands carry those times (`occurredAt`); the store records when it really
 * appended them (`recordedAt`), so nothing hides that the history was seeded. That server never listens
 * and is closed before Concord starts serving with the real clock.
 */

export interface DemoPerson {
  name: string;
  email: string;
  role: 'facilitator' | 'auditor' | 'representative' | 'partner';
  organization: string | null;
}

export interface DemoSummary {
  coalition: string;
  password: string;
  people: DemoPerson[];
  organizations: string[];
  workingGroups: string[];
  budget: { name: string; currency: string; total: number; lines: number };
  proposals: { decided: number; open: number; drafts: number };
  events: number;
}

const DAY = 86_400_000;

/** A clock that starts in the past and only moves when told to, never beyond the real time. */
class StagedClock {
  #now: number;
  constructor(start: number) {
    this.#now = start;
  }
  now = (): Date => new Date(this.#now);
  /** Moves to `daysAgo` days before the real time (forward only). */
  to(daysAgo: number): void {
    this.#now = Math.max(this.#now, Math.min(Date.now() - daysAgo * DAY, Date.now() - 60_000));
  }
  tick(minutes = 7): void {
    this.#now = Math.min(this.#now + minutes * 60_000, Date.now() - 60_000);
  }
}

interface Session {
  email: string;
  cookie: string;
  personId: string;
  name: string;
  organizationId: string | null;
}

class Seeder {
  readonly mailer = new MemoryMailer();
  readonly people: DemoPerson[] = [];
  readonly clock: StagedClock;
  app!: FastifyInstance;

  constructor(
    readonly password: string,
    start: number,
  ) {
    this.clock = new StagedClock(start);
  }

  /** One request through the API; anything but 2xx stops the seed with the problem it answered. */
  async call<T = CommandResult>(who: Session | null, method: string, url: string, body?: unknown) {
    this.clock.tick();
    const response = await this.app.inject({
      method: method as 'POST',
      url,
      headers: who ? { cookie: `concord_session=${who.cookie}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (response.statusCode >= 300) {
      throw new Error(`demo seed: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
    }
    return { body: (response.body ? response.json() : undefined) as T, cookie: sessionCookie(response) };
  }

  /** Waits until the process steps (executions of decisions) and the read models have everything. */
  async settle(): Promise<void> {
    const head = await this.app.eventStore.head();
    await this.app.processes.execution.waitFor(head);
    const executed = await this.app.eventStore.head();
    await this.app.processes.execution.waitFor(executed);
    await this.app.readSide?.waitFor(executed, 30_000);
  }

  token(email: string): string {
    return this.mailer.lastToken(email);
  }
}

function sessionCookie(response: { cookies: { name: string; value: string }[] }): string | null {
  return response.cookies.find((cookie) => cookie.name === 'concord_session')?.value ?? null;
}

const rules = {
  quorum: { numerator: 2, denominator: 3 },
  minimumFeedbackHours: 168,
  urgentPath: { minimumFeedbackHours: 48 },
  blockFallback: null,
  decideWhenAllHaveSpoken: false,
};

const organizations = [
  { name: 'Cedar Refugee Women’s Collective', country: 'Lebanon', languages: ['ar', 'en', 'fr'] },
  { name: 'Kampala Urban Refugee Network', country: 'Uganda', languages: ['en', 'sw', 'fr'] },
  { name: 'Nile Bridges Initiative', country: 'Egypt', languages: ['ar', 'en'] },
  { name: 'Frontera Viva', country: 'Colombia', languages: ['es', 'en'] },
  { name: 'Rumah Harapan Refugee Association', country: 'Indonesia', languages: ['id', 'en', 'fa'] },
  { name: 'Klang Valley Refugee Youth Alliance', country: 'Malaysia', languages: ['ms', 'en', 'my'] },
] as const;

const representatives = [
  { org: 0, name: 'Rima Haddad', email: 'rima@cedar-collective.example' },
  { org: 1, name: 'Joseph Okello', email: 'joseph@kurn.example' },
  { org: 1, name: 'Grace Atim', email: 'grace@kurn.example' },
  { org: 2, name: 'Mona Farouk', email: 'mona@nilebridges.example' },
  { org: 3, name: 'Camila Rojas', email: 'camila@fronteraviva.example' },
  { org: 4, name: 'Ahmad Rezaei', email: 'ahmad@rumahharapan.example' },
  { org: 5, name: 'Thiri Aung', email: 'thiri@kvrya.example' },
] as const;

const usd = (dollars: number) => dollars * 100;

/** Each voice's profile: availability, interests, a goal. */
const profiles = [
  ['Tuesdays and Thursdays, UTC+2', ['protection', 'women’s leadership'], 'Shift funding decisions to RLOs'],
  ['Weekday mornings, UTC+3', ['urban refugees', 'livelihoods'], 'Fair share of the grants for urban RLOs'],
  ['Sundays to Wednesdays, UTC+2', ['legal aid', 'translation'], 'Interpretation for every meeting'],
  ['Evenings, UTC−5', ['border communities', 'advocacy'], 'A coalition voice in regional forums'],
  ['Mondays, UTC+7', ['education', 'children'], 'Learning centres funded for three years'],
  ['Flexible, UTC+8', ['youth', 'digital inclusion'], 'Young leaders in every working group'],
] as const;

/**
 * Seeds the demo coalition when the store is empty and nobody has an account yet; answers null (and
 * changes nothing) otherwise.
 */
export async function seedDemo(options: {
  store: EventStore;
  db: Kysely<unknown>;
  logger?: FastifyBaseLogger;
  publicUrl?: string;
}): Promise<DemoSummary | null> {
  if ((await options.store.head()) > 0) return null;
  const seeder = new Seeder(`demo-${randomBytes(6).toString('base64url')}`, Date.now() - 45 * DAY);
  seeder.app = await buildServer({
    store: options.store,
    db: options.db,
    logger: options.logger ? options.logger.child({ demoSeed: true }, { level: 'warn' }) : false,
    clock: seeder.clock.now,
    mailer: seeder.mailer,
    publicUrl: options.publicUrl,
    processSteps: true,
    schedulerIntervalMs: 3_600_000,
    // The seeder signs everyone in from one address: no limits apply to it.
    signInLimits: {
      perAccount: { max: 100_000, windowMs: 60_000 },
      perClient: { max: 100_000, windowMs: 60_000 },
    },
  });
  try {
    await seeder.app.ready();
    if (await seeder.app.auth.hasFacilitator()) return null;
    return await seed(seeder);
  } finally {
    // Sessions opened while seeding were never handed to anyone: end them.
    await seeder.app.auth.db
      .updateTable('auth.sessions')
      .set({ revoked_at: new Date() })
      .where('revoked_at', 'is', null)
      .execute();
    await seeder.app.close();
  }
}

async function seed(s: Seeder): Promise<DemoSummary> {
  const { app, clock } = s;
  const coalition = 'Horizons Coalition of Refugee-Led Organizations';

  // ---- day 0: the secretariat sets Concord up and records the founding ------------------------------
  clock.to(45);
  const setupLink = await app.auth.setupLinkIfNeeded();
  const setupToken = new URL(setupLink as string).searchParams.get('token') as string;
  const facilitatorEmail = 'amina@horizons-secretariat.example';
  const setup = await s.call(null, 'POST', '/api/setup', {
    token: setupToken,
    email: facilitatorEmail,
    name: 'Amina Yusuf',
    password: s.password,
  });
  const facilitator: Session = {
    email: facilitatorEmail,
    cookie: setup.cookie as string,
    personId: (setup.body as unknown as { personId: string }).personId,
    name: 'Amina Yusuf',
    organizationId: null,
  };
  s.people.push({ name: 'Amina Yusuf', email: facilitatorEmail, role: 'facilitator', organization: null });

  // ---- days 0–17: the founding, the working groups and the opening budget, through the one seeder ----
  // The founding names each organization's first representatives; their accounts exist from the start
  // (as an accepted invitation would make them), and each accepts the representation.
  const orgIds = organizations.map(() => randomUUID());
  const reps: Session[] = [];
  for (const rep of representatives) {
    const organizationId = orgIds[rep.org]!;
    const person = await app.auth.createPerson({
      email: rep.email,
      name: rep.name,
      password: s.password,
      organizationId,
    });
    reps.push({ email: rep.email, cookie: '', personId: person.person_id, name: rep.name, organizationId });
    s.people.push({
      name: rep.name,
      email: rep.email,
      role: 'representative',
      organization: organizations[rep.org]!.name,
    });
  }
  // One representative per organization speaks for it (Kampala has two; Grace speaks).
  const [rima, , grace, mona, camila, ahmad, thiri] = reps as [
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
  ];
  const voices = [rima, grace, mona, camila, ahmad, thiri];
  const org = (who: Session) => who.organizationId as string;

  const year = new Date().getUTCFullYear();
  const budgetId = `budget-${year}`;
  const line = (lineId: string) => ({ budgetId, lineId });
  const lines = [
    ['salaries', 'Salaries of the secretariat and country coordinators', 'salaries', 'wg-finance', 3_200_000],
    [
      'core-costs',
      'Core costs: offices, connectivity, accounting, insurance',
      'coreCosts',
      'wg-finance',
      1_400_000,
    ],
    ['translation', 'Translation and interpretation', 'translation', 'wg-advocacy', 450_000],
    ['travel', 'Travel and convenings', 'travel', 'wg-finance', 600_000],
    ['grants', 'Grants to refugee-led organizations', 'grants', 'wg-grants', 4_000_000],
    ['advocacy', 'Advocacy and regional forums', 'programmes', 'wg-advocacy', 350_000],
  ] as const;
  const total = lines.reduce((sum, [, , , , amount]) => sum + usd(amount), 0);
  // Finance and Advocacy approve small expenses themselves (ADR 0022): one approval up to USD 1,000, two
  // up to USD 5,000; anything larger, and anything on the grants line (no policy), is a proposal.
  const expensePolicy = {
    currency: 'USD',
    tiers: [
      { upTo: usd(1_000), approvals: 1 },
      { upTo: usd(5_000), approvals: 2 },
    ],
  };
  const groups = [
    {
      groupId: 'wg-grants',
      name: 'Grants',
      purpose: 'Runs the coalition’s grant calls to refugee-led organizations: criteria, reviews, awards.',
      mandate: {
        summary: 'Awards and payments on the grants line, up to USD 250,000 per decision.',
        budgetLines: [line('grants')],
        perDecisionLimit: { maxAmount: { amount: usd(250_000), currency: 'USD' }, maxShareBasisPoints: null },
        cumulativeLimit: null,
        expenses: null,
      },
      proposer: org(rima),
      comments: [{ by: org(grace), text: 'Kampala would like to join the Grants group from the start.' }],
      members: [
        { organizationId: org(rima), hoursPerMonth: 8 },
        { organizationId: org(grace), hoursPerMonth: 6 },
        { organizationId: org(camila), hoursPerMonth: 6 },
      ],
    },
    {
      groupId: 'wg-finance',
      name: 'Finance',
      purpose: 'Stewards salaries, core costs and travel; answers budget questions; prepares the accounts.',
      mandate: {
        summary: 'Changes to salaries, core costs and travel up to 5% of a line or USD 10,000 per decision.',
        budgetLines: [line('salaries'), line('core-costs'), line('travel')],
        perDecisionLimit: { maxAmount: { amount: usd(10_000), currency: 'USD' }, maxShareBasisPoints: 500 },
        cumulativeLimit: null,
        expenses: expensePolicy,
      },
      proposer: org(mona),
      members: [
        { organizationId: org(mona), hoursPerMonth: 10 },
        { organizationId: org(ahmad), hoursPerMonth: 4 },
        { organizationId: org(rima), hoursPerMonth: 4 },
      ],
    },
    {
      groupId: 'wg-advocacy',
      name: 'Advocacy',
      purpose:
        'Carries the coalition’s shared positions to donors and regional forums, in members’ languages.',
      mandate: {
        summary: 'Advocacy and translation lines, up to 5% of a line or USD 10,000 per decision.',
        budgetLines: [line('advocacy'), line('translation')],
        perDecisionLimit: { maxAmount: { amount: usd(10_000), currency: 'USD' }, maxShareBasisPoints: 500 },
        cumulativeLimit: null,
        expenses: expensePolicy,
      },
      proposer: org(camila),
      members: [
        { organizationId: org(thiri), hoursPerMonth: 8 },
        { organizationId: org(camila), hoursPerMonth: 6 },
        { organizationId: org(grace), hoursPerMonth: 4 },
      ],
    },
  ].map((group) => ({
    ...group,
    body: `${group.purpose} Its mandate: ${group.mandate.summary}`,
    decidedBy: org(rima),
  }));
  await runSeed(
    {
      coalitionName: coalition,
      rules,
      sharedValues: [
        'Each member organization has one equal voice, whatever its size or budget.',
        'Nothing about the money or a decision changes without a recorded decision.',
        'Refugee-led organizations decide on the funding that concerns them.',
        'Every member sees every budget line, every decision and who took it.',
      ],
      sops: [
        {
          sopId: 'sop-feedback',
          title: 'Feedback before decisions',
          text: 'Proposals stay open for feedback at least seven days; the urgent path (48 hours) needs a written reason.',
        },
        {
          sopId: 'sop-languages',
          title: 'Languages',
          text: 'Meetings offer Arabic, English, French and Spanish interpretation; summaries are translated within a week.',
        },
      ],
      facilitator: { role: 'facilitator', personId: facilitator.personId, organizationId: null },
      organizations: organizations.map((organization, index) => {
        const [availability, interests, goal] = profiles[index]!;
        return {
          organizationId: orgIds[index]!,
          name: organization.name,
          representatives: reps
            .filter((rep) => rep.organizationId === orgIds[index])
            .map((rep) => rep.personId),
          speaker: voices[index]!.personId,
          profile: {
            availability,
            interests: [...interests],
            goals: [goal],
            timeCommitmentHoursPerMonth: 6 + index * 2,
            languages: [...organization.languages],
          },
        };
      }),
      workingGroups: groups,
      budget: {
        budgetId,
        name: `Coalition budget ${year}`,
        fiscalPeriod: { start: `${year}-01-01`, end: `${year}-12-31` },
        currency: 'USD',
        proposer: org(mona),
        title: `Open the ${year} budget: USD 10,000,000`,
        body:
          'The coalition’s shared budget for the year, with every line visible to every member. Nile Bridges ' +
          'provides interpretation, so it is a partner on the translation line and recused from this decision.',
        lines: lines.map(([lineId, name, category, stewardGroupId, amount]) => ({
          op: 'createLine',
          lineId,
          name,
          category,
          stewardGroupId,
          partnerOrganizationIds: lineId === 'translation' ? [org(mona)] : [],
          allocated: usd(amount),
        })),
        comments: [
          {
            by: org(camila),
            text: 'Could the travel line favour convenings in the regions rather than in Europe?',
          },
          {
            by: org(mona),
            text: 'Yes: the Finance group will publish the travel plan with the first quarter report.',
          },
        ],
        stances: [
          ...[rima, grace, camila, ahmad].map((voice) => ({ by: org(voice), stance: 'consent' as const })),
          {
            by: org(thiri),
            stance: 'concerns',
            reason: 'Youth stipends should get their own line next year.',
          },
        ],
        decidedBy: org(grace),
      },
      // Days after the founding, 45 days ago.
      timeline: {
        groupsProposed: 1,
        groupsDiscussed: 3,
        groupsDecided: 8.5,
        groupsJoined: 9,
        budgetProposed: 9.5,
        budgetDiscussed: 12,
        budgetDecided: 17,
      },
      proposalId: () => randomUUID(),
    },
    pipelineSeedRunner(app, {
      correlationId: 'demo-seed',
      beforeEach: () => clock.tick(),
      day: (day) => clock.to(45 - day),
    }),
  );
  // Everyone has a session from here on (the seeding needed none).
  for (const session of reps) {
    session.cookie = (await app.auth.createSession(session.personId, null)).token;
  }

  const auditorEmail = 'lucia@independent-audit.example';
  await s.call(facilitator, 'POST', '/api/invitations', {
    role: 'auditor',
    email: auditorEmail,
    name: 'Lucía Méndez',
  });
  await s.call(null, 'POST', '/api/invitations/accept', {
    token: s.token(auditorEmail),
    password: s.password,
  });
  s.people.push({ name: 'Lucía Méndez', email: auditorEmail, role: 'auditor', organization: null });

  const draftAndOpen = async (who: Session, title: string, body: string, payload: unknown) => {
    const drafted = await s.call(who, 'POST', '/api/proposals', { title, body, payload });
    const proposalId = drafted.body.created.proposalId as string;
    await s.call(who, 'POST', `/api/proposals/${proposalId}/opening`, {});
    return proposalId;
  };
  const stance = (who: Session, proposalId: string, value: string, reason: string | null = null) =>
    s.call(who, 'POST', `/api/proposals/${proposalId}/stances`, { stance: value, reason });
  const comment = (who: Session, proposalId: string, text: string) =>
    s.call(who, 'POST', `/api/proposals/${proposalId}/comments`, { text });
  const decide = async (who: Session, proposalId: string) => {
    await s.call(who, 'POST', `/api/proposals/${proposalId}/decision`, {});
    await s.settle();
  };

  // A procedure adopted by the whole coalition.
  clock.to(27.5);
  const sop = await draftAndOpen(
    ahmad,
    'Budget questions are answered within 14 days',
    'Any member can ask about a line; the stewarding group answers within 14 days, in writing, in Concord.',
    {
      kind: 'charterChange',
      rules: null,
      sharedValues: null,
      adoptSops: [
        {
          sopId: 'sop-budget-questions',
          title: 'Budget questions',
          text: 'The stewarding working group answers a budget question within 14 days, in writing.',
        },
      ],
      retireSopIds: [],
    },
  );
  // A partnership with an INGO, decided by the whole coalition like any coalition matter (issue 15).
  const partner = { organizationId: 'org-global-relief', name: 'Global Relief International' };
  const partnershipId = 'partnership-global-relief';
  const partnershipProposal = await draftAndOpen(
    camila,
    'A partnership with Global Relief International',
    'Global Relief funds two of our members and wants a formal partnership. We propose the agreement ' +
      'below, with a check-in on the five elements every three months, pooled so no member is singled out.',
    {
      kind: 'partnership',
      change: {
        action: 'establish',
        partnershipId,
        title: 'Horizons and Global Relief International',
        partners: [{ ...partner, kind: 'ingo' }],
        agreement: {
          expectations:
            'Global Relief explains its funding decisions to every member before they are final; the ' +
            'coalition reports on joint programmes each quarter, in Arabic and English.',
          sharedValues: 'Refugee leadership; transparency about money; no decision about us without us.',
          roles:
            'The coalition designs and leads the programmes; Global Relief funds, advises when asked, and ' +
            'opens its networks.',
          accountability:
            'A check-in every three months on the five elements, results shared with all members and ' +
            'Global Relief; actions agreed by both and followed up at the next check-in.',
          waysOfWorking: {
            languages: ['ar', 'en', 'es'],
            channels: 'A monthly call with interpretation; messages in a shared channel.',
            rhythm: 'Monthly call; quarterly check-in; a yearly review of the agreement.',
          },
        },
        checkInEveryMonths: 3,
      },
    },
  );

  clock.to(27);
  const salaryQuestion = await s.call(camila, 'POST', `/api/budgets/${budgetId}/questions`, {
    lineId: 'salaries',
    text: 'How are salary scales set across the country coordinators?',
  });
  clock.to(26);
  for (const voice of voices.slice(0, 5)) await stance(voice, sop, 'consent');
  for (const voice of voices) await stance(voice, partnershipProposal, 'consent');
  await stance(thiri, sop, 'standAside', 'We trust the others on this one; no capacity to follow it now.');

  // A change that does not pass: blocked.
  clock.to(25);
  const travelCut = await draftAndOpen(
    rima,
    'Move USD 60,000 from travel to core costs',
    'Office costs in Beirut rose; travel was under-spent last year.',
    {
      kind: 'budgetChange',
      budgetId,
      opening: null,
      changes: [
        { op: 'allocate', lineId: 'travel', delta: -usd(60_000) },
        { op: 'allocate', lineId: 'core-costs', delta: usd(60_000) },
      ],
    },
  );

  // The grant call.
  clock.to(24);
  const call = await s.call(rima, 'POST', '/api/grant-calls', {
    title: `Community-led protection fund ${year}`,
    description:
      'Grants of USD 20,000 to 150,000 for protection work designed and led by refugees in their communities.',
    criteria: [
      'Led by refugees (majority of the board and staff)',
      'Protection needs identified by the community itself',
      'A realistic budget and a plan to report back in the community’s language',
    ],
    budgetId,
    lineId: 'grants',
    deadline: new Date(Date.now() + 21 * DAY).toISOString(),
  });
  const grantCallId = call.body.created.grantCallId as string;

  clock.to(23);
  for (const voice of [rima, mona, ahmad]) await stance(voice, travelCut, 'consent');
  await stance(grace, travelCut, 'concerns', 'Only if regional convenings keep their budget.');
  await stance(
    camila,
    travelCut,
    'block',
    'Travel is how members far from the secretariat take part in person; cutting it silences them.',
  );

  clock.to(21);
  const fromMember = await s.call(ahmad, 'POST', `/api/grant-calls/${grantCallId}/applications`, {
    applicantName: organizations[4].name,
    amountRequested: usd(120_000),
    summary: 'Two learning centres for refugee children in Bogor and Cisarua, run by refugee teachers.',
  });
  const maeSot = await s.call(facilitator, 'POST', `/api/grant-calls/${grantCallId}/applications`, {
    applicantName: 'Mae Sot Migrant Women’s Circle',
    amountRequested: usd(85_000),
    summary: 'Safe houses and legal accompaniment for women crossing from Myanmar, led by women who crossed.',
  });
  const tapachula = await s.call(facilitator, 'POST', `/api/grant-calls/${grantCallId}/applications`, {
    applicantName: 'Tapachula Refugee Youth Collective',
    amountRequested: usd(60_000),
    summary: 'Peer protection networks and a hotline for young people waiting at the southern border.',
  });

  clock.to(20);
  await decide(ahmad, sop);
  await decide(camila, partnershipProposal);
  await s.call(
    mona,
    'POST',
    `/api/budgets/${budgetId}/questions/${salaryQuestion.body.created.questionId}/answer`,
    { answer: 'One scale for all coordinators, adjusted by the cost of living in each city (see the SOPs).' },
  );
  await s.call(thiri, 'POST', `/api/budgets/${budgetId}/questions`, {
    lineId: 'core-costs',
    text: 'What share of core costs pays for the accounting software and the audit?',
  });

  clock.to(19);
  const partnerEmail = 'daniel@global-relief.example';
  await s.call(facilitator, 'POST', `/api/partnerships/${partnershipId}/contacts`, {
    organizationId: partner.organizationId,
    email: partnerEmail,
    name: 'Daniel Mwangi',
  });
  const accepted = await s.call(null, 'POST', '/api/invitations/accept', {
    token: s.token(partnerEmail),
    password: s.password,
  });
  const daniel: Session = {
    email: partnerEmail,
    cookie: accepted.cookie as string,
    personId: (accepted.body as unknown as { personId: string }).personId,
    name: 'Daniel Mwangi',
    organizationId: partner.organizationId,
  };
  s.people.push({
    name: 'Daniel Mwangi',
    email: partnerEmail,
    role: 'partner',
    organization: partner.name,
  });
  const firstRound = await openCheckIn(s, facilitator, partnershipId, 5);

  const review = (who: Session, application: typeof maeSot, recommendation: string, assessment: string) =>
    s.call(
      who,
      'POST',
      `/api/grant-calls/${grantCallId}/applications/${application.body.created.applicationId}/reviews`,
      { recommendation, assessment },
    );
  await review(rima, maeSot, 'fund', 'Strong community leadership; the budget is realistic.');
  await review(camila, maeSot, 'fund', 'Fills a gap no one else covers on that border.');
  await review(grace, fromMember, 'fund', 'Well designed; ask for per-site budgets.');
  await review(rima, fromMember, 'revise', 'Please split the budget per centre and add a reporting plan.');
  await review(camila, tapachula, 'revise', 'Promising; the hotline needs a safeguarding policy first.');

  clock.to(17.5);
  await decide(rima, travelCut);
  // The first check-in: Global Relief sees far more shared leadership than the members do.
  await answerCheckIn(s, daniel, partnershipId, firstRound, { base: 4, power: 3 }, 'en', {
    coLeadership: 'Members lead every programme we fund.',
  });
  await answerCheckIn(s, rima, partnershipId, firstRound, { base: 3, coLeadership: 2, power: 2 }, 'ar', {
    coLeadership: 'Budgets arrive decided; we are asked to sign, not to shape them.',
  });
  await answerCheckIn(s, grace, partnershipId, firstRound, { base: 3, coLeadership: 2, power: 1 }, 'en', {
    power: 'Reporting formats are imposed and change without notice.',
  });
  await answerCheckIn(
    s,
    camila,
    partnershipId,
    firstRound,
    { base: 3, coLeadership: 1, power: 2, sharedLearning: null },
    'es',
    {},
  );
  await answerCheckIn(
    s,
    ahmad,
    partnershipId,
    firstRound,
    { base: 4, coLeadership: 2, sharedLearning: null },
    'en',
    {},
  );
  await answerCheckIn(
    s,
    mona,
    partnershipId,
    firstRound,
    { base: 3, coLeadership: 3, sharedLearning: null },
    'ar',
    {},
  );

  // An award within the Grants group's mandate: the group decides, and the money is committed.
  clock.to(17);
  // Sessions last 30 days: everyone signs in again.
  for (const session of [facilitator, ...reps]) {
    const signedIn = await s.call(null, 'POST', '/api/auth/sign-in', {
      email: session.email,
      password: s.password,
    });
    session.cookie = signedIn.cookie as string;
  }
  const applicationOf = (application: typeof maeSot) => ({
    applicationId: application.body.created.applicationId as string,
    applicantOrganizationId: application.body.created.applicantOrganizationId as string,
  });
  const award = await draftAndOpen(
    rima,
    'Award USD 85,000 to Mae Sot Migrant Women’s Circle',
    'Both reviews recommend funding. Within the Grants group’s mandate (up to USD 250,000).',
    {
      kind: 'grantAward',
      grantCallId,
      ...applicationOf(maeSot),
      budgetId,
      lineId: 'grants',
      amount: usd(85_000),
    },
  );
  clock.to(15);
  // The first round closes; from its gap the parties agree an action.
  await s.call(facilitator, 'POST', `/api/partnerships/${partnershipId}/rounds/${firstRound}/close`, {});
  const action = await s.call(rima, 'POST', `/api/partnerships/${partnershipId}/actions`, {
    roundId: firstRound,
    pillar: 'coLeadership',
    ownerPartyId: partner.organizationId,
    dueDate: new Date(clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10),
    description:
      'Share draft country budgets with the coalition four weeks before they are final, and change them ' +
      'with the members who run the programmes.',
  });
  const actionId = action.body.created.actionId as string;
  await s.call(daniel, 'POST', `/api/partnerships/${partnershipId}/actions/${actionId}/agree`, {});
  for (const voice of [rima, grace, camila]) await stance(voice, award, 'consent');
  clock.to(9.5);
  await decide(camila, award);

  // Expenses within the groups' policies: one approved and paid, one rejected, one waiting for a second
  // approval (from Finance's Cedar or Nile Bridges) and one for Advocacy's approval.
  const expenses = `/api/budgets/${budgetId}/expenses`;
  const submitExpense = async (who: Session, expense: Record<string, unknown>) =>
    (await s.call(who, 'POST', expenses, expense)).body.created.expenseId as string;
  clock.to(8);
  const secondRound = await openCheckIn(s, facilitator, partnershipId, 6);
  const busTickets = await submitExpense(camila, {
    lineId: 'travel',
    amount: usd(640),
    description: 'Bus tickets to the Bogotá convening for four members of Frontera Viva',
    payeeName: 'Expreso Bolivariano',
    spentOn: new Date(clock.now().getTime() - 2 * DAY).toISOString().slice(0, 10),
  });
  clock.to(7.5);
  await s.call(mona, 'POST', `${expenses}/${busTickets}/approve`);
  clock.to(7);
  await s.call(mona, 'POST', `${expenses}/${busTickets}/paid`, { reference: 'Transfer TR-0412' });
  clock.to(6);
  await s.call(daniel, 'POST', `/api/partnerships/${partnershipId}/actions/${actionId}/follow-up`, {
    status: 'inProgress',
    note: 'The Kampala and Amman budgets were shared in draft; three lines changed after the members’ comments.',
  });
  // The second check-in: co-leadership is better seen by the members; the gap narrows.
  await answerCheckIn(s, daniel, partnershipId, secondRound, { base: 4, power: 3 }, 'en', {});
  await answerCheckIn(s, rima, partnershipId, secondRound, { base: 3, coLeadership: 3, power: 2 }, 'ar', {
    coLeadership: 'For the first time we changed a budget before it was final.',
  });
  await answerCheckIn(s, grace, partnershipId, secondRound, { base: 3, coLeadership: 3, power: 2 }, 'en', {});
  await answerCheckIn(
    s,
    camila,
    partnershipId,
    secondRound,
    { base: 3, coLeadership: 2, power: 2 },
    'es',
    {},
  );
  await answerCheckIn(s, ahmad, partnershipId, secondRound, { base: 4, coLeadership: 3 }, 'en', {});
  await answerCheckIn(s, mona, partnershipId, secondRound, { base: 3, coLeadership: 3 }, 'ar', {});
  const taxi = await submitExpense(thiri, {
    lineId: 'travel',
    amount: usd(95),
    description: 'Taxi from the airport to the Kuala Lumpur youth exchange',
    payeeName: 'Kuala Lumpur Airport Taxi',
    spentOn: new Date(clock.now().getTime() - DAY).toISOString().slice(0, 10),
  });
  clock.to(5.5);
  await s.call(ahmad, 'POST', `${expenses}/${taxi}/reject`, {
    reason: 'The exchange’s travel was already paid from the youth programme; please ask them instead.',
  });
  clock.to(4);
  const licence = await submitExpense(grace, {
    lineId: 'core-costs',
    amount: usd(2_400),
    description: 'Accounting software licence for the secretariat, one year',
    payeeName: 'Ledgerly',
    spentOn: new Date(clock.now().getTime()).toISOString().slice(0, 10),
  });
  clock.to(3.5);
  await s.call(ahmad, 'POST', `${expenses}/${licence}/approve`);
  await submitExpense(rima, {
    lineId: 'translation',
    amount: usd(380),
    description: 'Arabic interpretation for the Advocacy group’s March meeting',
    payeeOrganizationId: org(mona),
    spentOn: new Date(clock.now().getTime()).toISOString().slice(0, 10),
  });
  await s.settle();

  // ---- open now: more interpretation, a second award, a new member, and a draft ----------------------
  clock.to(3);
  await s.call(facilitator, 'POST', `/api/partnerships/${partnershipId}/rounds/${secondRound}/close`, {});
  const translation = await draftAndOpen(
    thiri,
    'Add USD 40,000 for Arabic and Spanish interpretation',
    'Interpretation at every working-group meeting, not only plenaries. Above the Advocacy group’s limit, so ' +
      'the whole coalition decides; Nile Bridges is recused as the line’s partner.',
    {
      kind: 'budgetChange',
      budgetId,
      opening: null,
      changes: [{ op: 'allocate', lineId: 'translation', delta: usd(40_000) }],
    },
  );
  await stance(thiri, translation, 'consent');
  await stance(camila, translation, 'consent');
  await stance(
    ahmad,
    translation,
    'standAside',
    'Our members mostly speak Farsi and Bahasa; no view on this.',
  );
  await comment(mona, translation, 'We can provide the Arabic interpreters at cost.');

  clock.to(2);
  await s.call(ahmad, 'POST', `/api/partnerships/${partnershipId}/reflections`, {
    about: { kind: 'grant', reference: 'Learning centres in Bogor and Cisarua, first term' },
    whatWorked: 'Refugee teachers designed the curriculum; Global Relief funded it without changing it.',
    whatShouldChange: 'Transfers arrived five weeks late; the first month’s salaries were advanced by us.',
    strengths: 'Trust between the teachers and the families; reports in Bahasa first.',
    weaknesses: 'Our own bookkeeping was slow to close the term.',
    communityOutcomes: '212 children attended for the full term; 40 parents joined the centre committees.',
    language: 'en',
  });
  const secondAward = await draftAndOpen(
    grace,
    'Award USD 120,000 to Rumah Harapan Refugee Association',
    'Learning centres in Bogor and Cisarua. One review asks for per-site budgets before a final decision.',
    {
      kind: 'grantAward',
      grantCallId,
      ...applicationOf(fromMember),
      budgetId,
      lineId: 'grants',
      amount: usd(120_000),
    },
  );
  await stance(grace, secondAward, 'consent');
  await stance(rima, secondAward, 'concerns', 'Please attach the per-site budgets before we decide.');

  clock.to(1);
  const admission = await draftAndOpen(
    camila,
    'Admit Bangkok Urban Refugee Network',
    'A refugee-led network of 14 community groups in Bangkok, active in the coalition’s Thai working sessions.',
    {
      kind: 'membershipChange',
      change: {
        action: 'admit',
        organizationId: 'org-bangkok-urban-refugee-network',
        name: 'Bangkok Urban Refugee Network',
      },
    },
  );
  await stance(camila, admission, 'consent');
  await comment(
    thiri,
    admission,
    'Klang Valley worked with them on the youth exchange; strongly supportive.',
  );

  clock.to(0.5);
  await s.call(ahmad, 'POST', '/api/proposals', {
    title: 'Quarterly mutual-accountability check-ins',
    body: 'Each member rates the partnership practices every quarter; results are shared with everyone.',
    payload: {
      kind: 'charterChange',
      rules: null,
      sharedValues: null,
      adoptSops: [
        {
          sopId: 'sop-check-ins',
          title: 'Mutual accountability check-ins',
          text: 'Every quarter, each member rates the coalition’s partnership practices; the results are public.',
        },
      ],
      retireSopIds: [],
    },
  });
  await s.settle();

  const proposals = await app.readSide!.models.proposals({ limit: 1000 });
  const decided = proposals.filter((p) => ['adopted', 'notAdopted', 'executed'].includes(p.status)).length;
  return {
    coalition,
    password: s.password,
    people: s.people,
    organizations: organizations.map((organization) => `${organization.name} (${organization.country})`),
    workingGroups: groups.map((group) => group.name),
    budget: { name: `Coalition budget ${year}`, currency: 'USD', total, lines: lines.length },
    proposals: {
      decided,
      open: proposals.filter((p) => p.status === 'open').length,
      drafts: proposals.filter((p) => p.status === 'draft').length,
    },
    events: (await app.readSide!.models.checkpoint())?.events ?? 0,
  };
}

/** Opens a check-in round closing in `days`; its id. */
async function openCheckIn(s: Seeder, facilitator: Session, partnershipId: string, days: number) {
  const opened = await s.call(facilitator, 'POST', `/api/partnerships/${partnershipId}/rounds`, {
    closesAt: new Date(s.clock.now().getTime() + days * DAY).toISOString(),
    pooled: true,
  });
  return opened.body.created.roundId as string;
}

/** An organization's answer: `base` on every pillar but those named (null: don't know), a few comments. */
async function answerCheckIn(
  s: Seeder,
  who: Session,
  partnershipId: string,
  roundId: string,
  ratings: { base: number } & Partial<Record<PillarId, number | null>>,
  language: string,
  comments: Partial<Record<PillarId, string>>,
) {
  await s.call(
    who,
    'PUT',
    `/api/partnerships/${partnershipId}/rounds/${roundId}/answers/${who.organizationId}`,
    {
      answers: PILLARS.map((pillar) => ({
        pillar,
        rating: pillar in ratings ? ratings[pillar] : ratings.base,
        comment: comments[pillar] ?? '',
      })),
      language,
    },
  );
}

/** The summary as printed at start-up (this is a local demo: the password is shown). */
export function formatDemoSummary(summary: DemoSummary, url: string): string {
  const money = new Intl.NumberFormat('en', { style: 'currency', currency: summary.budget.currency });
  const width = Math.max(...summary.people.map((person) => person.email.length));
  return [
    `Demo coalition seeded: ${summary.coalition}`,
    `  ${summary.organizations.length} members: ${summary.organizations.join('; ')}`,
    `  working groups: ${summary.workingGroups.join(', ')}`,
    `  ${summary.budget.name}: ${money.format(summary.budget.total / 100)} on ${summary.budget.lines} lines`,
    `  proposals: ${summary.proposals.decided} decided, ${summary.proposals.open} open, ${summary.proposals.drafts} draft; ${summary.events} events in the audit trail`,
    `Sign in at ${url} with any of these (password for all: ${summary.password}):`,
    ...summary.people.map(
      (person) =>
        `  ${person.email.padEnd(width)}  ${person.role}${person.organization ? ` of ${person.organization}` : ''} (${person.name})`,
    ),
  ].join('\n');
}
