import { randomUUID } from 'node:crypto';
import { routes } from '@concord/contracts';
import type { CommandDraft } from '@concord/domain';
import { type Actor, type DecisionRules, systemActor } from '@concord/domain';
import { openPglite, PostgresEventStore } from '@concord/event-store';
import { Ed25519Signer } from '@concord/transparency';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { CommandOutcome } from '../../src/commands/handle.ts';
import { MemoryMailer } from '../../src/mail.ts';
import { buildServer, type ServerDependencies } from '../../src/server.ts';

/** Cheap argon2id for tests (the production cost is OWASP's). */
export const testPasswordCost = { memoryCost: 64, timeCost: 1 };

/**
 * What every test server shares: its log only when TEST_LOG asks (error, info …, while debugging a
 * test), cheap password hashing, and sign-in and reset limits far away (except in the tests about them).
 */
export const testServerOptions = {
  ...(process.env.TEST_LOG ? { logLevel: process.env.TEST_LOG } : { logger: false as const }),
  passwordCost: testPasswordCost,
  signInLimits: {
    perAccount: { max: 100_000, windowMs: 60_000 },
    perClient: { max: 100_000, windowMs: 60_000 },
  },
  resetLimits: {
    perEmail: { max: 100_000, windowMs: 60_000 },
    perClient: { max: 100_000, windowMs: 60_000 },
  },
} satisfies Partial<ServerDependencies>;

export const testRules: DecisionRules = {
  quorum: { numerator: 2, denominator: 3 },
  minimumFeedbackHours: 0,
  urgentPath: null,
  blockFallback: null,
  decideWhenAllHaveSpoken: true,
};

export interface TestApp {
  app: FastifyInstance;
  store: PostgresEventStore;
  db: Kysely<unknown>;
  mailer: MemoryMailer;
  close(): Promise<void>;
}

/** A server on in-memory PGlite (process steps on, scheduler idle). */
export type TestAppOptions = Partial<ServerDependencies> & {
  /** Events kept apart from the read models and the API's tables (which stay on in-memory PGlite). */
  eventStore?: PostgresEventStore;
  /** PGlite on disk in this folder instead of in memory. */
  dataDir?: string;
  /** Another database (e.g. PostgreSQL) for the read models and the API's tables instead of PGlite. */
  database?: Kysely<unknown>;
};

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { eventStore, dataDir, database, ...dependencies } = options;
  const db = database ?? (await openPglite(dataDir)).db;
  const store = eventStore ?? new PostgresEventStore(db, { pollIntervalMs: 20 });
  await store.migrate();
  const mailer = new MemoryMailer();
  const app = await buildServer({
    store,
    db,
    ...testServerOptions,
    mailer,
    schedulerIntervalMs: 3_600_000,
    ...dependencies,
  });
  await app.ready();
  return {
    app,
    store,
    db,
    mailer,
    async close() {
      await app.close();
      await store.close();
      await db.destroy();
    },
  };
}

/** A witnessed log with a fresh instance key (the timer far away: tests sign with `tick()` or on demand). */
export function testTransparency(
  origin = 'concord.test/coalition',
): NonNullable<ServerDependencies['transparency']> {
  return { signer: Ed25519Signer.generate(origin), tickMs: 3_600_000, pollIntervalMs: 50 };
}

/** Every event in the store, in order. */
export async function allEvents(store: PostgresEventStore) {
  const events = [];
  for await (const event of store.allStored()) events.push(event);
  return events;
}

/** Asks `app` for a password-reset link for `email`, from `remoteAddress` (light-my-request's own otherwise). */
export function requestPasswordReset(app: FastifyInstance, email: string, remoteAddress?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/password-reset',
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
    payload: { email },
  });
}

export type PrincipalName =
  | 'anonymous'
  | 'repA'
  | 'repB'
  | 'recused'
  | 'groupMember'
  | 'nonMember'
  | 'facilitator'
  | 'auditor'
  | 'partner';
export const principalNames: PrincipalName[] = [
  'anonymous',
  'repA',
  'repB',
  'recused',
  'groupMember',
  'nonMember',
  'facilitator',
  'auditor',
  'partner',
];

export const ORG = { A: 'org-a', B: 'org-b', R: 'org-r', W: 'org-w', N: 'org-n' } as const;
/** Organization each representative acts for. */
export const orgOf: Partial<Record<PrincipalName, string>> = {
  repA: ORG.A,
  repB: ORG.B,
  recused: ORG.R,
  groupMember: ORG.W,
  nonMember: ORG.N,
};

export const GROUP = 'group-grants';
export const BUDGET = 'budget-1';
/** The coalition's partnership with an organization outside it (P), whose person is the `partner`. */
export const PARTNERSHIP = 'partnership-1';
export const PARTNER_ORG = 'org-p';

/** A partnership agreement as a decision would record it. */
export const testAgreement = {
  expectations: 'Decisions about shared money are explained.',
  sharedValues: 'Refugee leadership.',
  roles: 'The coalition leads; P reports.',
  accountability: 'A check-in every quarter.',
  waysOfWorking: { languages: ['en'], channels: 'Calls', rhythm: 'Monthly' },
};

/** A command without its actor and time, which `World.as` adds. */
type Unstamped = CommandDraft extends infer Draft
  ? Draft extends CommandDraft
    ? Omit<Draft, 'actor' | 'now'>
    : never
  : never;

interface Person {
  personId: string;
  email: string;
  actor: Actor;
}

/**
 * A founded coalition of five organizations — A, B, R (partner on the `ops` line, so recused from changes
 * to it), W (in the working group that stewards `grants` and `ops`), N (not in it) — a representative
 * each, a facilitator, an auditor and an open budget.
 */
export class World {
  readonly people = new Map<PrincipalName, Person>();
  #seq = 0;
  /** The position of the last event a command of this world appended. */
  #last = 0;

  private constructor(readonly t: TestApp) {}

  get app(): FastifyInstance {
    return this.t.app;
  }

  /**
   * With `byDecision`, the working group and the budget come from adopted proposals executed by the
   * process step, so every effect in the history has its decision (what the effect check needs); the
   * default writes them directly as a test-only system actor, which is faster.
   */
  static async create(options: TestAppOptions & { byDecision?: boolean } = {}): Promise<World> {
    const { byDecision = false, ...appOptions } = options;
    const world = new World(await testApp(appOptions));
    await world.#seed(byDecision);
    return world;
  }

  /**
   * Drafts and opens a proposal with `payload` by `name`, every representative consents (a recused
   * organization's refusal is expected and ignored), `name` asks for the decision, and the process
   * step executes it. The proposal's id.
   */
  async adopt(name: PrincipalName, payload: Record<string, unknown>): Promise<string> {
    const proposalId = await this.draft(name, payload);
    await this.open(name, proposalId);
    for (const voter of ['repA', 'repB', 'recused', 'groupMember', 'nonMember'] as const) {
      await this.app.commandBus.execute(
        {
          type: 'TakeStance',
          actor: this.actor(voter),
          now: this.now(),
          proposalId,
          stance: 'consent',
          reason: null,
        },
        { commandId: randomUUID(), correlationId: 'test' },
      );
    }
    await this.as(name, { type: 'DecideProposal', proposalId });
    await this.settle();
    return proposalId;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** Runs a command through the pipeline (fast set-up without HTTP). */
  async command(draft: CommandDraft): Promise<CommandOutcome & { ok: true }> {
    const outcome = await this.app.commandBus.execute(draft, {
      commandId: randomUUID(),
      correlationId: 'test',
    });
    if (!outcome.ok) throw new Error(`${draft.type} refused: ${outcome.error.code}`);
    this.#last = Math.max(this.#last, outcome.result.position);
    return outcome;
  }

  /** Runs a command as `who` (a principal of the world, or any actor), now. */
  as(who: PrincipalName | Actor, command: Unstamped): Promise<CommandOutcome & { ok: true }> {
    const { type, ...fields } = command;
    const actor = typeof who === 'string' ? this.actor(who) : who;
    return this.command({ type, actor, now: this.now(), ...fields } as CommandDraft);
  }

  actor(name: PrincipalName): Actor {
    const person = this.people.get(name);
    if (!person) throw new Error(`no ${name}`);
    return person.actor;
  }

  now(): string {
    return this.app.clock().toISOString();
  }

  id(prefix: string): string {
    this.#seq += 1;
    return `${prefix}-${this.#seq}-${randomUUID().slice(0, 8)}`;
  }

  system(): Actor {
    return systemActor('test-seed');
  }

  execution(name: string) {
    return { proposalId: `seed-${name}-${this.id('p')}`, decisionEventId: randomUUID() };
  }

  /** A grant call on the grants line, published by the stewarding group's member; its id. */
  async grantCall(): Promise<string> {
    const grantCallId = this.id('call');
    await this.as('groupMember', {
      type: 'PublishGrantCall',
      grantCallId,
      title: 'Call',
      description: 'Grants',
      criteria: ['Refugee-led'],
      budgetId: BUDGET,
      lineId: 'grants',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    return grantCallId;
  }

  /** An application from organization A to a fresh grant call; their ids. */
  async grantApplication(): Promise<{ grantCallId: string; applicationId: string }> {
    const grantCallId = await this.grantCall();
    const applicationId = this.id('application');
    await this.as('repA', {
      type: 'SubmitGrantApplication',
      grantCallId,
      applicationId,
      applicantOrganizationId: ORG.A,
      applicantName: 'A',
      amountRequested: 1_000,
      summary: 'Project',
    });
    return { grantCallId, applicationId };
  }

  /** A question B raises about the ops line of the budget; its id. */
  async budgetQuestion(): Promise<string> {
    const questionId = this.id('question');
    await this.as('repB', {
      type: 'RaiseBudgetQuestion',
      budgetId: BUDGET,
      questionId,
      lineId: 'ops',
      text: 'Why?',
    });
    return questionId;
  }

  /** An expense A submits on the ops line (USD 100, one approval of the group); its id. */
  async expense(): Promise<string> {
    const expenseId = this.id('expense');
    await this.as('repA', {
      type: 'SubmitExpense',
      budgetId: BUDGET,
      expenseId,
      lineId: 'ops',
      amount: 10_000,
      description: 'Printing',
      payeeOrganizationId: null,
      payeeName: 'Print shop',
      spentOn: '2025-03-01',
      receipts: [],
    });
    return expenseId;
  }

  /** An expense of A the group approved (spent, not yet paid); its id. */
  async approvedExpense(): Promise<string> {
    const expenseId = await this.expense();
    await this.as('groupMember', {
      type: 'ApproveExpense',
      budgetId: BUDGET,
      expenseId,
    });
    return expenseId;
  }

  /** The facilitator invites `personId` to represent organization A. */
  async inviteToA(personId: string): Promise<void> {
    await this.as('facilitator', {
      type: 'InviteRepresentative',
      organizationId: ORG.A,
      personId,
    });
  }

  /** Waits until the process steps and the read models have handled everything appended so far. */
  async settle(): Promise<void> {
    // The store's head is as far as every transaction before it has ended, on the whole PostgreSQL server
    // (ADR 0002): a transaction of another test's database holds it back. The world's own last command is
    // waited for whatever the head says.
    const through = Math.max(await this.t.store.head(), this.#last);
    await this.app.processes.execution.waitFor(through);
    await this.app.readSide?.waitFor(Math.max(await this.t.store.head(), through), 30_000);
  }

  /** A fresh session cookie for a principal (none for the anonymous). */
  async cookie(name: PrincipalName): Promise<Record<string, string>> {
    if (name === 'anonymous') return {};
    const person = this.people.get(name)!;
    const { token } = await this.app.auth.createSession(person.personId, 'test');
    return { concord_session: token };
  }

  async request(
    name: PrincipalName,
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: method as 'GET',
      url,
      cookies: await this.cookie(name),
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    // A command's answer says where its events are (see `settle`).
    if (response.headers['content-type']?.toString().startsWith('application/json')) {
      const position = (response.json() as { position?: unknown } | null)?.position;
      if (typeof position === 'number') this.#last = Math.max(this.#last, position);
    }
    return response;
  }

  /** A person with an account (no role yet). */
  async person(name: string) {
    const email = `${name.toLowerCase()}-${this.id('m')}@example.org`;
    const row = await this.app.auth.createPerson({ email, name, password: 'correct horse battery' });
    return { personId: row.person_id, email };
  }

  /**
   * A new representative of `organizationId`, signed up: invited by a colleague of the organization (its
   * confirmation), or, for an organization without any, appointed as a coalition decision would; then
   * accepted (events).
   */
  async representative(organizationId: string, name = 'Rep'): Promise<Person> {
    const { personId, email } = await this.person(name);
    const colleague = [...this.people.values()].find(
      (person) => person.actor.organizationId === organizationId,
    );
    if (colleague) await this.as(colleague.actor, { type: 'InviteRepresentative', organizationId, personId });
    else {
      await this.as(this.system(), {
        type: 'AppointRepresentative',
        organizationId,
        personId,
        basis: { type: 'decision', execution: this.execution('appoint') },
      });
    }
    return this.#accept({ personId, email }, organizationId);
  }

  /**
   * A partner organization's person in the partnership: invited by the facilitator, then accepted (events),
   * their account pointing at the partner organization.
   */
  async partnerContact(partnershipId = PARTNERSHIP, organizationId = PARTNER_ORG): Promise<Person> {
    const { personId, email } = await this.person('Partner');
    await this.as('facilitator', {
      type: 'InvitePartnerContact',
      partnershipId,
      organizationId,
      personId,
    });
    const actor: Actor = { role: 'partner', personId, organizationId };
    await this.as(actor, { type: 'AcceptPartnerContact', partnershipId });
    await this.app.auth.setOrganization(personId, organizationId);
    return { personId, email, actor };
  }

  /** The person accepts representing `organizationId` (they were invited or appointed). */
  async #accept({ personId, email }: { personId: string; email: string }, organizationId: string) {
    const actor: Actor = { role: 'representative', personId, organizationId };
    await this.as(actor, { type: 'AcceptRepresentation', organizationId });
    await this.app.auth.setOrganization(personId, organizationId);
    return { personId, email, actor };
  }

  /** A new working group (seeded as an executed decision) with these member organizations. */
  async group(memberOrgs: string[], budgetLines = [{ budgetId: BUDGET, lineId: 'ops' }]): Promise<string> {
    const groupId = this.id('group');
    await this.as(this.system(), {
      type: 'CreateWorkingGroup',
      groupId,
      name: 'Group',
      purpose: 'Testing',
      mandate: {
        summary: 'lines',
        budgetLines,
        perDecisionLimit: { maxAmount: null, maxShareBasisPoints: 1000 },
      },
      execution: this.execution('group'),
    });
    for (const organizationId of memberOrgs) {
      const rep = [...this.people.values()].find((person) => person.actor.organizationId === organizationId)!;
      await this.as(rep.actor, {
        type: 'JoinWorkingGroup',
        groupId,
        hoursPerMonth: 4,
      });
    }
    return groupId;
  }

  /** A draft proposal by `name` that changes the charter (adopts a procedure). */
  async draft(name: PrincipalName, payload?: Record<string, unknown>): Promise<string> {
    const proposalId = this.id('proposal');
    await this.as(name, {
      type: 'DraftProposal',
      proposalId,
      title: 'A procedure',
      body: 'We write down how we meet.',
      payload: (payload ?? {
        kind: 'charterChange',
        rules: null,
        sharedValues: null,
        adoptSops: [{ sopId: this.id('sop'), title: 'Meetings', text: 'Monthly.' }],
        retireSopIds: [],
      }) as never,
    });
    return proposalId;
  }

  async open(name: PrincipalName, proposalId: string): Promise<void> {
    await this.as(name, {
      type: 'OpenProposal',
      proposalId,
      urgentReason: null,
    });
  }

  /**
   * An open proposal by `name` that allocates to a line (by default the `ops` line: its partner R is
   * recused; the coalition decides).
   */
  async openBudgetProposal(
    name: PrincipalName = 'repA',
    { lineId, delta } = { lineId: 'ops', delta: 400_000 },
  ): Promise<string> {
    const proposalId = await this.draft(name, {
      kind: 'budgetChange',
      budgetId: BUDGET,
      opening: null,
      changes: [{ op: 'allocate', lineId, delta }],
    });
    await this.open(name, proposalId);
    return proposalId;
  }

  /** An open proposal within the working group's mandate: only its members decide. */
  openGroupProposal(name: PrincipalName = 'groupMember'): Promise<string> {
    return this.openBudgetProposal(name, { lineId: 'grants', delta: 1_000 });
  }

  async stance(name: PrincipalName, proposalId: string, stance: 'consent' | 'block' = 'consent') {
    await this.as(name, {
      type: 'TakeStance',
      proposalId,
      stance,
      reason: stance === 'consent' ? null : 'reason',
    });
  }

  async #seed(byDecision: boolean): Promise<void> {
    const auth = this.app.auth;
    for (const [name, staffRole] of [
      ['facilitator', 'facilitator'],
      ['auditor', 'auditor'],
    ] as const) {
      const row = await auth.createPerson({
        email: `${name}@example.org`,
        name,
        password: 'correct horse battery',
        staffRole,
      });
      this.people.set(name, {
        personId: row.person_id,
        email: row.email,
        actor: { role: staffRole, personId: row.person_id, organizationId: null },
      });
    }
    // By decision, the founding names each organization's first representative (the founding process
    // step appoints them); otherwise they are appointed later as a test-only system actor.
    const founders = new Map<string, { name: PrincipalName; personId: string; email: string }>();
    for (const [name, organizationId] of Object.entries(orgOf) as [PrincipalName, string][]) {
      if (byDecision && !founders.has(organizationId)) {
        founders.set(organizationId, { name, ...(await this.person(name)) });
      }
    }
    await this.as('facilitator', {
      type: 'FoundCoalition',
      coalitionName: 'Test coalition',
      rules: testRules,
      sharedValues: ['Equal voice'],
      sops: [],
      foundingMembers: Object.entries(ORG).map(([key, organizationId]) => ({
        organizationId,
        name: `Organization ${key}`,
        representativeIds: [founders.get(organizationId)?.personId].flatMap((id) => id ?? []),
      })),
    });
    await this.settle();
    for (const [name, organizationId] of Object.entries(orgOf) as [PrincipalName, string][]) {
      const founder = founders.get(organizationId);
      this.people.set(
        name,
        founder?.name === name
          ? await this.#accept(founder, organizationId)
          : await this.representative(organizationId, name),
      );
    }
    const group = {
      groupId: GROUP,
      name: 'Grants',
      purpose: 'Grant-making',
      mandate: {
        summary: 'The grants and operations lines, up to 10% per decision',
        budgetLines: [
          { budgetId: BUDGET, lineId: 'grants' },
          { budgetId: BUDGET, lineId: 'ops' },
        ],
        perDecisionLimit: { maxAmount: null, maxShareBasisPoints: 1000 },
        // One approval of the group for an expense up to USD 1,000; above, a proposal.
        expenses: { currency: 'USD', tiers: [{ upTo: 100_000, approvals: 1 }] },
      },
    };
    if (byDecision) {
      await this.adopt('repA', {
        kind: 'workingGroup',
        change: { action: 'create', ...group, takeOverLines: false },
      });
    } else {
      await this.as(this.system(), {
        type: 'CreateWorkingGroup',
        ...group,
        execution: this.execution('grants'),
      });
    }
    await this.as('groupMember', {
      type: 'JoinWorkingGroup',
      groupId: GROUP,
      hoursPerMonth: 8,
    });
    const budget: Pick<
      Extract<CommandDraft, { type: 'ExecuteBudgetChange' }>,
      'budgetId' | 'opening' | 'changes'
    > = {
      budgetId: BUDGET,
      opening: {
        name: 'Budget 2025',
        fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' },
        currency: 'USD',
      },
      changes: [
        {
          op: 'createLine',
          lineId: 'grants',
          name: 'Grants',
          category: 'grants',
          stewardGroupId: GROUP,
          partnerOrganizationIds: [],
          allocated: 1_000_000,
        },
        {
          op: 'createLine',
          lineId: 'ops',
          name: 'Operations',
          category: 'coreCosts',
          stewardGroupId: GROUP,
          partnerOrganizationIds: [ORG.R],
          allocated: 500_000,
        },
        {
          op: 'createLine',
          lineId: 'shared',
          name: 'Shared',
          category: 'travel',
          stewardGroupId: null,
          partnerOrganizationIds: [],
          allocated: 100_000,
        },
      ],
    };
    const partnership = {
      partnershipId: PARTNERSHIP,
      title: 'The coalition and P',
      partners: [{ organizationId: PARTNER_ORG, name: 'Organization P', kind: 'ingo' as const }],
      agreement: testAgreement,
      checkInEveryMonths: 3,
    };
    if (byDecision) {
      await this.adopt('repA', { kind: 'budgetChange', ...budget });
      await this.adopt('repA', { kind: 'partnership', change: { action: 'establish', ...partnership } });
    } else {
      await this.as(this.system(), {
        type: 'ExecuteBudgetChange',
        ...budget,
        execution: this.execution('budget'),
      });
      await this.as(this.system(), {
        type: 'EstablishPartnership',
        ...partnership,
        execution: this.execution('partnership'),
      });
    }
    this.people.set('partner', await this.partnerContact());
    await this.settle();
  }
}

/** Fills a route's path with parameters. */
export function pathOf(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? `missing-${key}`));
}

export { routes };
