import { randomBytes } from 'node:crypto';
import type { CommandResult } from '@concord/contracts';
import type { EventStore } from '@concord/event-store';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { MemoryMailer } from '../mail.ts';
import { buildServer } from '../server.ts';

/**
 * The demo coalition, seeded through the API itself: every step is an HTTP request (injected, never over
 * the network) to the same routes, validation, command pipeline and process steps that serve people, so
 * the audit trail is real. Only time is staged: a decision needs its feedback window (7 days) to pass, so
 * the seeding runs on a server of its own whose clock starts 45 days ago and is moved forward between
 * steps (never past the real time). Commands carry those times (`occurredAt`); the store records when it
 * really appended them (`recordedAt`), so nothing hides that the history was seeded. That server never
 * listens and is closed before Concord starts serving with the real clock.
 */

export interface DemoPerson {
  name: string;
  email: string;
  role: 'facilitator' | 'auditor' | 'representative';
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
    const head = await this.app.concord.store.head();
    await this.app.processes.execution.waitFor(head);
    const executed = await this.app.concord.store.head();
    await this.app.processes.execution.waitFor(executed);
    await this.app.concord.readSide?.waitFor(executed, 30_000);
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
    if (await seeder.app.concord.auth.hasFacilitator()) return null;
    return await seed(seeder);
  } finally {
    // Sessions opened while seeding were never handed to anyone: end them.
    await seeder.app.concord.auth.db
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
  const setupLink = await app.concord.auth.setupLinkIfNeeded();
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

  const founding = await s.call(facilitator, 'POST', '/api/coalition', {
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
    // The founding names each organization's first representatives; each accepts with their link.
    foundingMembers: organizations.map((organization, index) => ({
      name: organization.name,
      representatives: representatives
        .filter((rep) => rep.org === index)
        .map((rep) => ({ name: rep.name, email: rep.email })),
    })),
  });
  const orgIds = founding.body.created.organizationIds as string[];
  await s.settle();

  const reps: Session[] = [];
  for (const rep of representatives) {
    const organizationId = orgIds[rep.org]!;
    const accepted = await s.call(null, 'POST', '/api/invitations/accept', {
      token: s.token(rep.email),
      password: s.password,
    });
    reps.push({
      email: rep.email,
      cookie: accepted.cookie as string,
      personId: (accepted.body as unknown as { personId: string }).personId,
      name: rep.name,
      organizationId,
    });
    s.people.push({
      name: rep.name,
      email: rep.email,
      role: 'representative',
      organization: organizations[rep.org]!.name,
    });
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

  // One representative per organization speaks for it below (Kampala has two; Grace speaks).
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

  // Profiles: availability, interests, goals, time.
  const profiles = [
    [
      'Tuesdays and Thursdays, UTC+2',
      ['protection', 'women’s leadership'],
      'Shift funding decisions to RLOs',
    ],
    ['Weekday mornings, UTC+3', ['urban refugees', 'livelihoods'], 'Fair share of the grants for urban RLOs'],
    ['Sundays to Wednesdays, UTC+2', ['legal aid', 'translation'], 'Interpretation for every meeting'],
    ['Evenings, UTC−5', ['border communities', 'advocacy'], 'A coalition voice in regional forums'],
    ['Mondays, UTC+7', ['education', 'children'], 'Learning centres funded for three years'],
    ['Flexible, UTC+8', ['youth', 'digital inclusion'], 'Young leaders in every working group'],
  ] as const;
  for (const [index, voice] of voices.entries()) {
    const [availability, interests, goal] = profiles[index]!;
    await s.call(voice, 'PUT', `/api/members/${voice.organizationId}/profile`, {
      availability,
      interests: [...interests],
      goals: [goal],
      timeCommitmentHoursPerMonth: 6 + index * 2,
      languages: [...organizations[index]!.languages],
    });
  }

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

  // ---- days 1–8: three working groups with mandates --------------------------------------------------
  const year = new Date().getUTCFullYear();
  const budgetId = `budget-${year}`;
  const line = (lineId: string) => ({ budgetId, lineId });
  clock.to(44);
  const groups = [
    {
      groupId: 'wg-grants',
      name: 'Grants',
      purpose: 'Runs the coalition’s grant calls to refugee-led organizations: criteria, reviews, awards.',
      mandate: {
        summary: 'Awards and payments on the grants line, up to USD 250,000 per decision.',
        budgetLines: [line('grants')],
        perDecisionLimit: { maxAmount: { amount: usd(250_000), currency: 'USD' }, maxShareBasisPoints: null },
      },
      proposer: rima,
    },
    {
      groupId: 'wg-finance',
      name: 'Finance',
      purpose: 'Stewards salaries, core costs and travel; answers budget questions; prepares the accounts.',
      mandate: {
        summary: 'Changes to salaries, core costs and travel up to 5% of a line or USD 10,000 per decision.',
        budgetLines: [line('salaries'), line('core-costs'), line('travel')],
        perDecisionLimit: { maxAmount: { amount: usd(10_000), currency: 'USD' }, maxShareBasisPoints: 500 },
      },
      proposer: mona,
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
      },
      proposer: camila,
    },
  ];
  const groupProposals: string[] = [];
  for (const group of groups) {
    groupProposals.push(
      await draftAndOpen(
        group.proposer,
        `Create the ${group.name} working group`,
        `${group.purpose} Its mandate: ${group.mandate.summary}`,
        {
          kind: 'workingGroup',
          change: {
            action: 'create',
            groupId: group.groupId,
            name: group.name,
            purpose: group.purpose,
            mandate: group.mandate,
          },
        },
      ),
    );
  }
  await comment(grace, groupProposals[0]!, 'Kampala would like to join the Grants group from the start.');
  clock.to(42);
  for (const proposalId of groupProposals) {
    for (const voice of voices) await stance(voice, proposalId, 'consent');
  }
  clock.to(36.5);
  for (const proposalId of groupProposals) await decide(rima, proposalId);

  // Members join the groups they committed to.
  clock.to(36);
  const membership: [Session, string, number][] = [
    [rima, 'wg-grants', 8],
    [grace, 'wg-grants', 6],
    [camila, 'wg-grants', 6],
    [mona, 'wg-finance', 10],
    [ahmad, 'wg-finance', 4],
    [rima, 'wg-finance', 4],
    [thiri, 'wg-advocacy', 8],
    [camila, 'wg-advocacy', 6],
    [grace, 'wg-advocacy', 4],
  ];
  for (const [who, groupId, hoursPerMonth] of membership) {
    await s.call(who, 'POST', `/api/working-groups/${groupId}/members`, { hoursPerMonth });
  }

  // ---- days 9–17: the opening budget, USD 10,000,000 -------------------------------------------------
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
  clock.to(35.5);
  const opening = await draftAndOpen(
    mona,
    `Open the ${year} budget: USD 10,000,000`,
    'The coalition’s shared budget for the year, with every line visible to every member. Nile Bridges ' +
      'provides interpretation, so it is a partner on the translation line and recused from this decision.',
    {
      kind: 'budgetChange',
      budgetId,
      opening: {
        name: `Coalition budget ${year}`,
        fiscalPeriod: { start: `${year}-01-01`, end: `${year}-12-31` },
        currency: 'USD',
      },
      changes: lines.map(([lineId, name, category, stewardGroupId, amount]) => ({
        op: 'createLine',
        lineId,
        name,
        category,
        stewardGroupId,
        partnerOrganizationIds: lineId === 'translation' ? [mona.organizationId] : [],
        allocated: usd(amount),
      })),
    },
  );
  await comment(
    camila,
    opening,
    'Could the travel line favour convenings in the regions rather than in Europe?',
  );
  await comment(
    mona,
    opening,
    'Yes: the Finance group will publish the travel plan with the first quarter report.',
  );
  clock.to(33);
  for (const voice of [rima, grace, camila, ahmad]) await stance(voice, opening, 'consent');
  await stance(thiri, opening, 'concerns', 'Youth stipends should get their own line next year.');
  clock.to(28);
  await decide(grace, opening);

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
  clock.to(27);
  const salaryQuestion = await s.call(camila, 'POST', `/api/budgets/${budgetId}/questions`, {
    lineId: 'salaries',
    text: 'How are salary scales set across the country coordinators?',
  });
  clock.to(26);
  for (const voice of voices.slice(0, 5)) await stance(voice, sop, 'consent');
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
  for (const voice of [rima, grace, camila]) await stance(voice, award, 'consent');
  clock.to(9.5);
  await decide(camila, award);

  // ---- open now: more interpretation, a second award, a new member, and a draft ----------------------
  clock.to(3);
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

  const proposals = await app.concord.readSide!.models.proposals({ limit: 1000 });
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
    events: (await app.concord.readSide!.models.checkpoint())?.events ?? 0,
  };
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
