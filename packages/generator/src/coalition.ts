import {
  type Actor,
  available,
  type BudgetLine,
  type CommandDraft,
  type DecisionRules,
  type DomainCommand,
  isDomainError,
  type Mandate,
  type MemberProfile,
  outcomeOf,
  type ProposableBudgetChange,
  type ProposalPayload,
  type Stance,
  streamIdFor,
} from '@concord/domain';
import { Random } from './random.ts';
import { type CoalitionSeed, type SeedOrganization, seedSteps } from './seeder.ts';
import { type GeneratedAppend, World } from './world.ts';

export interface CoalitionOptions {
  /** Same seed, same history (event ids, texts, amounts, timing). Default 1. */
  seed?: number;
  /** Stop after exactly this many events. */
  events: number;
  /** Founding member organizations. Default 24. */
  members?: number;
  /** Simulated time of the founding. Default 2024-01-08T09:00:00.000Z. */
  start?: string;
  /** Share of first-round stances stored in their pilot-era (v1) shape, to exercise upcasting. Default 0.02. */
  legacyStanceRate?: number;
}

const PLACES = [
  'Beirut',
  'Tripoli',
  'Kampala',
  'Nakivale',
  'Cairo',
  'Alexandria',
  'Bogotá',
  'Cúcuta',
  'Jakarta',
  'Bogor',
  'Kuala Lumpur',
  'Penang',
  'Bangkok',
  'Mae Sot',
  'Tapachula',
  'Mexico City',
];
const KINDS = [
  'Refugee Women’s Network',
  'Youth Initiative',
  'Community Association',
  'Education Collective',
  'Legal Aid Circle',
  'Health Volunteers',
  'Livelihoods Cooperative',
  'Solidarity Forum',
];
const FIRST_NAMES = [
  'Amina',
  'Jean',
  'Farah',
  'Omar',
  'Lucía',
  'Nyakim',
  'Rahim',
  'Siti',
  'Hassan',
  'Mariam',
];
const CONCERNS = [
  'The timeline looks tight for the partners who must report in two languages.',
  'We support this but want a review after six months.',
  'Please make sure smaller organizations are consulted on the criteria.',
  'The amount seems high compared with last year; we would like to see the breakdown.',
];
const STAND_ASIDE = [
  'We lack the capacity to follow this closely this quarter.',
  'Our organization has no expertise on this topic.',
  'We will not take part in this decision but will not stand in the way.',
];
const BLOCKS = [
  'This moves money away from grants to refugee-led organizations, against our shared values.',
  'The affected communities were not consulted.',
  'This would overspend the line before the end of the fiscal period.',
];
const COMMENTS = [
  'Could the working group share the figures behind this?',
  'Thank you — this reflects what we discussed at the last call.',
  'Translation into Arabic and Spanish would help our members follow this.',
  'We suggest adding a reporting step after three months.',
  'Does this affect the partners already funded this year?',
];

const USD = 100;
const GRANTS = 'wg-grants';
const FINANCE = 'wg-finance';
const ADVOCACY = 'wg-advocacy';
const LANGUAGE = 'wg-language';

const GROUPS = [
  {
    groupId: GRANTS,
    name: 'Grants',
    purpose: 'Runs the coalition’s grant-making to refugee-led organizations.',
  },
  { groupId: FINANCE, name: 'Finance', purpose: 'Stewards salaries, travel and the coalition’s accounts.' },
  { groupId: ADVOCACY, name: 'Advocacy', purpose: 'Coordinates joint advocacy and programmes.' },
  { groupId: LANGUAGE, name: 'Language access', purpose: 'Translation and interpretation for members.' },
] as const;

/** Lines of every fiscal budget: id, name, category, steward, share of the budget (‰). */
const LINES = [
  { lineId: 'core', name: 'Core costs', category: 'coreCosts', steward: null, share: 100 },
  { lineId: 'salaries', name: 'Secretariat salaries', category: 'salaries', steward: FINANCE, share: 200 },
  { lineId: 'grants', name: 'Grants to RLOs', category: 'grants', steward: GRANTS, share: 450 },
  { lineId: 'translation', name: 'Translation', category: 'translation', steward: LANGUAGE, share: 60 },
  { lineId: 'travel', name: 'Travel', category: 'travel', steward: FINANCE, share: 60 },
  { lineId: 'advocacy', name: 'Advocacy programme', category: 'programmes', steward: ADVOCACY, share: 130 },
] as const;

type WithoutNow<C> = C extends unknown ? Omit<C, 'now'> : never;

interface Org {
  organizationId: string;
  name: string;
  persons: string[];
}

interface Active {
  proposalId: string;
  proposerOrg: string | null;
  amendedOpen: boolean;
  /** Grant award proposals remember their application so a refused one can be proposed again later. */
  onClose?: () => void;
}

interface OpenCall {
  grantCallId: string;
  budgetId: string;
  deadline: string;
  applications: { applicationId: string; organizationId: string; requested: number }[];
  reviewed: boolean;
  awarded: boolean;
}

const FOUNDING_RULES: DecisionRules = {
  quorum: { numerator: 2, denominator: 3 },
  minimumFeedbackHours: 72,
  urgentPath: { minimumFeedbackHours: 24 },
  blockFallback: null,
  decideWhenAllHaveSpoken: false,
};

const TICK_HOURS = 8;

/** The person the founding or the admission names as an organization's first representative. */
function firstPersonOf(organizationId: string): string {
  return `person-${organizationId.slice(4)}-1`;
}

/**
 * A realistic coalition's history, driven through the domain's deciders: the founding, representatives
 * and profiles, working groups created by decision, an opening budget per fiscal year, budget changes
 * routed to groups or to the coalition, stances with concerns, stand-asides and blocks, amendments,
 * comments, grant calls with applications, reviews, awards and disbursements, budget questions and
 * answers, charter changes and new members. Deterministic from its seed.
 */
class Coalition {
  readonly random: Random;
  readonly world: World;
  readonly orgs = new Map<string, Org>();
  readonly active = new Map<string, Active>();
  readonly calls: OpenCall[] = [];
  readonly openQuestions: { budgetId: string; questionId: string; lineId: string }[] = [];
  /** Expenses not yet paid, rejected or withdrawn. */
  readonly openExpenses: { budgetId: string; expenseId: string }[] = [];
  readonly facilitator: Actor = { role: 'facilitator', personId: 'facilitator-1', organizationId: null };
  counter = 0;
  budgetId: string | null = null;
  budgetYear = 0;
  nextBudgetProposed = false;
  fallbackAdopted = false;

  constructor(readonly options: Required<CoalitionOptions>) {
    this.random = new Random(options.seed);
    this.world = new World(this.random, options.start);
    this.world.legacyStanceRate = options.legacyStanceRate;
  }

  id(prefix: string): string {
    this.counter++;
    return `${prefix}-${String(this.counter).padStart(6, '0')}`;
  }

  rep(organizationId: string): Actor {
    const org = this.orgs.get(organizationId)!;
    return { role: 'representative', personId: this.random.pick(org.persons), organizationId };
  }

  members(): string[] {
    return [...this.world.memberIds].filter((id) => (this.orgs.get(id)?.persons.length ?? 0) > 0);
  }

  groupMembers(groupId: string): string[] {
    const group = this.world.workingGroup(groupId);
    if (group.status !== 'active') return [];
    return Object.keys(group.members).filter((id) => this.world.memberIds.has(id) && this.orgs.has(id));
  }

  /** A command at the world's time, its `context` filled by the domain's rule (as the API fills it). */
  cmd(command: WithoutNow<CommandDraft>): DomainCommand {
    return this.world.withContext({ ...command, now: this.world.now } as CommandDraft);
  }

  // --- The founding --------------------------------------------------------------------------------

  /**
   * The founding, through the one coalition seeder: the charter and members, their representatives
   * (each organization's first named by the founding, colleagues invited), profiles, the working groups
   * created by decision and joined, and the opening budget. The random coalition runs on from there.
   */
  found(): void {
    const count = this.options.members;
    const organizations = Array.from({ length: count }, (_, i): SeedOrganization => {
      const organizationId = `org-${String(i + 1).padStart(3, '0')}`;
      const name = `${PLACES[i % PLACES.length]} ${KINDS[Math.floor(i / PLACES.length) % KINDS.length]}${
        i >= PLACES.length * KINDS.length ? ` ${Math.floor(i / (PLACES.length * KINDS.length)) + 1}` : ''
      }`;
      const colleagues = Array.from({ length: this.random.int(1, 3) - 1 }, (_, n) => ({
        personId: `person-${organizationId.slice(4)}-${n + 2}`,
        reason: this.random.chance(0.5) ? `${this.random.pick(FIRST_NAMES)} leads our programmes` : null,
      }));
      const persons = [firstPersonOf(organizationId), ...colleagues.map((colleague) => colleague.personId)];
      this.orgs.set(organizationId, { organizationId, name, persons });
      return {
        organizationId,
        name,
        representatives: [firstPersonOf(organizationId)],
        colleagues,
        profile: this.profile(),
      };
    });
    const memberIds = organizations.map((org) => org.organizationId);
    const year = Number(this.options.start.slice(0, 4));
    const opening = this.opening(year, this.random.pick(memberIds));
    for (const group of GROUPS) this.world.groupIds.push(group.groupId);
    const seed: CoalitionSeed = {
      coalitionName: 'Refugee-Led Organizations Coalition',
      rules: FOUNDING_RULES,
      sharedValues: [
        'Each decision is consulted and each opinion is given equal weight.',
        'Refugee-led organizations decide about the money meant for them.',
        'Everything about the budget is visible to every member.',
      ],
      sops: [
        {
          sopId: 'sop-meetings',
          title: 'Monthly calls',
          text: 'The coalition meets monthly; minutes are shared.',
        },
        {
          sopId: 'sop-grants',
          title: 'Grant-making',
          text: 'Calls are open for two weeks; reviews are shared.',
        },
      ],
      facilitator: this.facilitator,
      organizations,
      workingGroups: GROUPS.map((group) => ({
        ...group,
        mandate: this.mandate(group.groupId, opening.budgetId),
        proposer: this.random.pick(memberIds),
        members: this.random
          .sample(memberIds, Math.ceil(memberIds.length / 3))
          .map((organizationId) => ({ organizationId, hoursPerMonth: this.random.int(2, 16) })),
      })),
      budget: {
        ...opening,
        proposer: this.random.pick(memberIds),
        // The line's partner is recused from the decision.
        stances: memberIds
          .filter((id) => !opening.partners.includes(id))
          .map((by) => ({ by, stance: 'consent' as const })),
      },
      proposalId: () => this.id('prop'),
    };
    const start = Date.parse(this.world.now);
    for (const step of seedSteps(seed)) {
      if (step.kind === 'command') this.world.must(this.cmd(step.command as WithoutNow<CommandDraft>));
      else if (step.kind === 'day') {
        const at = start + step.day * 24 * 3_600_000;
        if (at > Date.parse(this.world.now)) this.world.now = new Date(at).toISOString();
      }
      // 'settle': the world runs the process steps as it decides, nothing to wait for.
    }
    this.budgetYear = year;
    this.budgetId = opening.budgetId;
  }

  /**
   * Seats an organization's representatives and records its profile: the first, named at the founding
   * or by the admission decision, accepts; they invite their colleagues, who accept.
   */
  welcome(organizationId: string, name: string): void {
    const org: Org = { organizationId, name, persons: [] };
    this.orgs.set(organizationId, org);
    const people = this.random.int(1, 3);
    const first = firstPersonOf(organizationId);
    for (let n = 1; n <= people; n++) {
      const personId = n === 1 ? first : `person-${organizationId.slice(4)}-${n}`;
      if (n > 1) {
        this.world.must({
          type: 'InviteRepresentative',
          actor: { role: 'representative', personId: first, organizationId },
          now: this.world.now,
          organizationId,
          personId,
          reason: this.random.chance(0.5) ? `${this.random.pick(FIRST_NAMES)} leads our programmes` : null,
        });
      }
      this.world.must({
        type: 'AcceptRepresentation',
        actor: { role: 'representative', personId, organizationId },
        now: this.world.now,
        organizationId,
      });
      org.persons.push(personId);
    }
    this.updateProfile(organizationId);
  }

  updateProfile(organizationId: string): void {
    this.world.execute({
      type: 'UpdateMemberProfile',
      actor: this.rep(organizationId),
      now: this.world.now,
      organizationId,
      profile: this.profile(),
    });
  }

  profile(): MemberProfile {
    return {
      availability: this.random.pick([
        'Tuesdays and Thursdays, UTC+3',
        'Weekday mornings, UTC-5',
        'Mondays, UTC+7',
      ]),
      interests: this.random.sample(['education', 'legal aid', 'livelihoods', 'health', 'advocacy'], 2),
      goals: ['Shared decisions about the money meant for refugee-led organizations.'],
      timeCommitmentHoursPerMonth: this.random.int(2, 20),
      languages: this.random.sample(['ar', 'en', 'es', 'fr', 'id', 'ms', 'th', 'sw'], 2),
    };
  }

  mandate(groupId: string, budgetId: string): Mandate {
    return {
      summary: `Decides changes to its lines of budget ${budgetId} up to USD 10,000 or 5% of a line.`,
      budgetLines: LINES.filter((line) => line.steward === groupId).map((line) => ({
        budgetId,
        lineId: line.lineId,
      })),
      perDecisionLimit: { maxAmount: { amount: 10_000 * USD, currency: 'USD' }, maxShareBasisPoints: 500 },
      cumulativeLimit: null,
      // One approval up to USD 1,000, two up to USD 5,000; above, a proposal.
      expenses: {
        currency: 'USD',
        tiers: [
          { upTo: 1_000 * USD, approvals: 1 },
          { upTo: 5_000 * USD, approvals: 2 },
        ],
      },
    };
  }

  // --- Proposals ---------------------------------------------------------------------------------

  /** Drafts (maybe amends) and opens a proposal; returns whether it opened. */
  propose(
    proposer: Actor,
    title: string,
    body: string,
    payload: ProposalPayload,
    extra: Partial<Active> = {},
  ): boolean {
    const proposalId = this.id('prop');
    const drafted = this.world.execute(
      this.cmd({ type: 'DraftProposal', actor: proposer, proposalId, title, body, payload }),
    );
    if (isDomainError(drafted)) return false;
    if (this.random.chance(0.1)) {
      this.world.execute(
        this.cmd({
          type: 'AmendProposal',
          actor: proposer,
          proposalId,
          title,
          body: `${body} (Revised after informal feedback.)`,
          payload,
        }),
      );
    }
    const rules = this.world.charter();
    const urgent = rules.status === 'founded' && rules.rules.urgentPath !== null && this.random.chance(0.03);
    const opened = this.world.execute(
      this.cmd({
        type: 'OpenProposal',
        actor: proposer,
        proposalId,
        urgentReason: urgent ? 'Payments are due before the next monthly call.' : null,
      }),
    );
    if (isDomainError(opened)) {
      this.world.execute(
        this.cmd({ type: 'WithdrawProposal', actor: proposer, proposalId, reason: 'Superseded by events.' }),
      );
      this.world.forget(streamIdFor.proposal(proposalId));
      return false;
    }
    this.active.set(proposalId, {
      proposalId,
      proposerOrg: proposer.organizationId,
      amendedOpen: false,
      ...extra,
    });
    return true;
  }

  proposer(): Actor {
    return this.random.chance(0.1) ? this.facilitator : this.rep(this.random.pick(this.members()));
  }

  stanceReason(stance: Stance): string | null {
    switch (stance) {
      case 'consent':
        return null;
      case 'concerns':
        return this.random.pick(CONCERNS);
      case 'standAside':
        return this.random.pick(STAND_ASIDE);
      case 'block':
        return this.random.pick(BLOCKS);
    }
  }

  drawStance(): Stance {
    const roll = this.random.next();
    if (roll < 0.006) return 'block';
    if (roll < 0.08) return 'standAside';
    if (roll < 0.22) return 'concerns';
    return 'consent';
  }

  /** One tick of an open proposal: stances, comments, an amendment, a decision. */
  advanceProposal(active: Active): void {
    const { proposalId } = active;
    const state = this.world.proposal(proposalId);
    if (state.status !== 'open' || !state.opened) {
      this.close(active);
      return;
    }
    const recused = new Set(state.opened.recusals.map((recusal) => recusal.organizationId));
    const eligible = state.opened.memberIds.filter(
      (id) => !recused.has(id) && this.world.memberIds.has(id) && this.orgs.has(id),
    );
    const take = (organizationId: string, stance: Stance) =>
      this.world.execute(
        this.cmd({
          type: 'TakeStance',
          actor: this.rep(organizationId),
          proposalId,
          stance,
          reason: this.stanceReason(stance),
        }),
      );

    if (this.random.chance(0.01)) {
      const proposer = active.proposerOrg ? this.rep(active.proposerOrg) : this.facilitator;
      this.world.execute(
        this.cmd({
          type: 'WithdrawProposal',
          actor: { ...proposer, personId: state.proposer.personId },
          proposalId,
          reason: 'The proposer withdrew it to rework it with the working group.',
        }),
      );
      this.close(active);
      return;
    }
    if (!active.amendedOpen && Object.keys(state.stances).length > 2 && this.random.chance(0.03)) {
      active.amendedOpen = true;
      this.world.execute(
        this.cmd({
          type: 'AmendProposal',
          actor: {
            ...(active.proposerOrg ? this.rep(active.proposerOrg) : this.facilitator),
            personId: state.proposer.personId,
          },
          proposalId,
          title: state.title,
          body: `${state.body} (Amended: reporting after three months added.)`,
          payload: state.payload,
        }),
      );
    }
    const current = this.world.proposal(proposalId);
    if (current.status !== 'open') {
      this.close(active);
      return;
    }
    const waiting = eligible.filter((id) => current.stances[id]?.revision !== current.revision);
    const wave = this.random.sample(waiting, Math.ceil(waiting.length * (0.35 + this.random.next() * 0.4)));
    for (const organizationId of wave) {
      const previous = current.stances[organizationId];
      take(organizationId, previous && this.random.chance(0.7) ? previous.stance : this.drawStance());
    }
    if (current.round === 2) {
      for (const [organizationId, record] of Object.entries(current.stances)) {
        if (record.stance === 'block' && eligible.includes(organizationId) && this.random.chance(0.5)) {
          take(organizationId, 'standAside');
        }
      }
    }
    if (eligible.length > 0 && this.random.chance(0.05)) {
      const changing = this.random.pick(eligible);
      if (current.stances[changing]?.stance === 'concerns') take(changing, 'consent');
    }
    if (this.random.chance(0.25)) {
      const commenter = this.random.chance(0.15)
        ? this.facilitator
        : this.rep(this.random.pick(this.members()));
      this.world.execute(
        this.cmd({
          type: 'CommentOnProposal',
          actor: commenter,
          proposalId,
          commentId: this.id('comment'),
          text: this.random.pick(COMMENTS),
        }),
      );
    }
    const now = this.world.proposal(proposalId);
    const outcome = outcomeOf(now, this.world.now);
    if (!outcome || (outcome.status === 'open' && outcome.reason !== 'secondRoundRequired')) return;
    const decider = this.random.chance(0.3)
      ? this.facilitator
      : this.rep(this.random.pick(eligible.length ? eligible : this.members()));
    if (this.random.chance(0.05) && now.status === 'open' && now.scheduledFor === null) {
      this.world.execute(
        this.cmd({
          type: 'ScheduleDecision',
          actor: decider,
          proposalId,
          scheduledFor: new Date(Date.parse(this.world.now) + TICK_HOURS * 3_600_000).toISOString(),
        }),
      );
      return;
    }
    this.world.execute(this.cmd({ type: 'DecideProposal', actor: decider, proposalId }));
    const after = this.world.proposal(proposalId);
    if (after.status !== 'open') this.close(active);
  }

  close(active: Active): void {
    this.active.delete(active.proposalId);
    active.onClose?.();
    this.world.forget(streamIdFor.proposal(active.proposalId));
  }

  // --- What members propose ------------------------------------------------------------------------

  /** A fiscal year's opening budget: its lines share a random total; one member is the salaries partner. */
  opening(year: number, salariesPartner: string) {
    const budgetId = `fy${year}`;
    const total = this.random.int(28, 40) * 100_000 * USD;
    return {
      budgetId,
      name: `Coalition budget ${year}`,
      fiscalPeriod: { start: `${year}-01-01`, end: `${year}-12-31` },
      currency: 'USD',
      title: `Opening budget ${year}`,
      body: `The coalition’s budget for the fiscal year ${year}, in US dollars.`,
      partners: [salariesPartner],
      lines: LINES.map((line) => ({
        op: 'createLine' as const,
        lineId: line.lineId,
        name: line.name,
        category: line.category,
        stewardGroupId: line.steward,
        partnerOrganizationIds: line.lineId === 'salaries' ? [salariesPartner] : [],
        allocated: Math.round((total * line.share) / 1000),
      })),
    };
  }

  proposeOpening(year: number): void {
    const { budgetId, name, fiscalPeriod, currency, title, body, lines } = this.opening(
      year,
      this.random.pick(this.members()),
    );
    this.propose(this.proposer(), title, body, {
      kind: 'budgetChange',
      budgetId,
      opening: { name, fiscalPeriod, currency },
      changes: lines,
    });
  }

  lines(): BudgetLine[] {
    if (!this.budgetId) return [];
    const budget = this.world.budget(this.budgetId);
    return budget.status === 'open' ? Object.values(budget.lines) : [];
  }

  budgetChange(title: string, body: string, changes: ProposableBudgetChange[]): void {
    if (!this.budgetId || changes.length === 0) return;
    this.propose(this.proposer(), title, body, {
      kind: 'budgetChange',
      budgetId: this.budgetId,
      opening: null,
      changes,
    });
  }

  proposeSomething(): void {
    const lines = this.lines();
    if (lines.length === 0) return;
    const roll = this.random.next();
    const line = this.random.pick(lines);
    const free = available(line);
    if (roll < 0.3) {
      // Within a group's mandate when the line has a steward: at most USD 10,000 and 5% of the line.
      const limit = Math.min(10_000 * USD, Math.floor(line.allocated * 0.05));
      const delta = this.random.chance(0.7)
        ? this.random.int(1, Math.max(1, limit / USD)) * USD
        : -Math.min(free, this.random.int(1, 50) * 100 * USD);
      if (delta === 0) return;
      this.budgetChange(
        `Adjust ${line.name}`,
        `Adjust the allocation of ${line.name} to the needs of this quarter.`,
        [{ op: 'allocate', lineId: line.lineId, delta }],
      );
    } else if (roll < 0.4) {
      const other = this.random.pick(lines.filter((candidate) => candidate.lineId !== line.lineId));
      const amount = Math.min(free, this.random.int(50, 400) * 100 * USD);
      if (amount <= 0) return;
      this.budgetChange(
        `Move money from ${line.name} to ${other.name}`,
        'A reallocation between lines, as discussed at the monthly call.',
        [
          { op: 'allocate', lineId: line.lineId, delta: -amount },
          { op: 'allocate', lineId: other.lineId, delta: amount },
        ],
      );
    } else if (roll < 0.72) {
      if (line.category === 'grants') return;
      const amount = Math.min(free, this.random.int(2, 90) * 100 * USD);
      if (amount <= 0) return;
      const payee =
        line.partnerOrganizationIds[0] ?? (this.random.chance(0.2) ? this.random.pick(this.members()) : null);
      this.budgetChange(`Expense on ${line.name}`, 'An expense for this month, with receipts attached.', [
        {
          op: 'spend',
          lineId: line.lineId,
          amount,
          description: this.random.pick([
            'Interpreters for the regional call',
            'Flights to the annual meeting',
            'Office rent',
            'Salaries of the secretariat',
            'Printing of advocacy materials',
          ]),
          payeeOrganizationId: payee,
        },
      ]);
    } else if (roll < 0.86) {
      const budget = this.world.budget(this.budgetId!);
      if (budget.status !== 'open') return;
      const outstanding = Object.values(budget.grantCommitments).filter(
        (grant) => grant.committed > grant.disbursed,
      );
      if (outstanding.length === 0) return;
      const payments = this.random.sample(outstanding, this.random.int(1, 3)).map((grant) => ({
        op: 'disburseGrant' as const,
        lineId: grant.lineId,
        grantCallId: grant.grantCallId,
        applicationId: grant.applicationId,
        amount: this.random.chance(0.5)
          ? grant.committed - grant.disbursed
          : Math.ceil((grant.committed - grant.disbursed) / 2),
      }));
      this.budgetChange('Grant payments', 'Payments of awarded grants, per the agreed tranches.', payments);
    } else if (roll < 0.9) {
      const org = this.random.pick(this.members());
      this.world.execute(
        this.cmd({
          type: 'RaiseBudgetQuestion',
          actor: this.rep(org),
          budgetId: this.budgetId!,
          questionId: this.id('question'),
          lineId: line.lineId,
          text: `Why has ${line.name} changed since the last report?`,
        }),
      );
      const budget = this.world.budget(this.budgetId!);
      if (budget.status === 'open') {
        const last = Object.values(budget.questions).at(-1);
        if (last && !last.answer)
          this.openQuestions.push({
            budgetId: this.budgetId!,
            questionId: last.questionId,
            lineId: last.lineId,
          });
      }
    } else if (roll < 0.93) {
      this.proposeCharterChange();
    } else if (roll < 0.945) {
      const n = this.orgs.size + 1;
      const organizationId = `org-${String(n).padStart(3, '0')}`;
      this.propose(this.proposer(), `Admit a new member`, 'A refugee-led organization asked to join.', {
        kind: 'membershipChange',
        change: {
          action: 'admit',
          organizationId,
          name: `${this.random.pick(PLACES)} New Member ${n}`,
          firstRepresentativeId: firstPersonOf(organizationId),
        },
      });
      this.orgs.set(organizationId, { organizationId, name: `pending`, persons: [] });
    } else if (roll < 0.975) {
      const group = this.random.pick(GROUPS);
      const members = this.groupMembers(group.groupId);
      if (members.length < 2) return;
      this.propose(this.rep(members[0]!), `New leads for ${group.name}`, 'Rotating the leads, as agreed.', {
        kind: 'workingGroup',
        change: {
          action: 'setLeads',
          groupId: group.groupId,
          leadOrganizationIds: this.random.sample(members, 2),
        },
      });
    } else {
      const org = this.random.pick(this.members());
      const group = this.random.pick(GROUPS);
      const state = this.world.workingGroup(group.groupId);
      if (state.status !== 'active') return;
      if (org in state.members) {
        if (this.random.chance(0.5)) {
          this.world.execute(
            this.cmd({ type: 'LeaveWorkingGroup', actor: this.rep(org), groupId: group.groupId }),
          );
        } else {
          this.world.execute(
            this.cmd({
              type: 'CommitTime',
              actor: this.rep(org),
              groupId: group.groupId,
              hoursPerMonth: this.random.int(1, 20),
            }),
          );
        }
      } else {
        this.world.execute(
          this.cmd({
            type: 'JoinWorkingGroup',
            actor: this.rep(org),
            groupId: group.groupId,
            hoursPerMonth: this.random.int(2, 12),
          }),
        );
      }
      if (this.random.chance(0.3)) this.updateProfile(org);
    }
  }

  proposeCharterChange(): void {
    const charter = this.world.charter();
    if (charter.status !== 'founded') return;
    if (!this.fallbackAdopted && this.random.chance(0.5)) {
      this.fallbackAdopted = true;
      this.propose(
        this.proposer(),
        'Allow a second round after a block',
        'After a blocked first round, 75% may adopt.',
        {
          kind: 'charterChange',
          rules: { ...charter.rules, blockFallback: { supermajority: { numerator: 3, denominator: 4 } } },
          sharedValues: null,
          adoptSops: [],
          retireSopIds: [],
        },
      );
      return;
    }
    const sopId = this.random.pick(['sop-meetings', 'sop-grants', 'sop-translation', 'sop-conflicts']);
    this.propose(this.proposer(), 'Update our operating procedures', 'A clearer procedure, as agreed.', {
      kind: 'charterChange',
      rules: null,
      sharedValues: this.random.chance(0.2)
        ? [...charter.sharedValues, 'We report back to the communities we serve.'].slice(-5)
        : null,
      adoptSops: [
        {
          sopId,
          title: `Procedure ${sopId.slice(4)}`,
          text: `Revised ${this.world.now.slice(0, 10)}: ${this.random.pick(COMMENTS)}`,
        },
      ],
      retireSopIds: [],
    });
  }

  /** Grant calls: publish, collect applications, review, propose awards. */
  advanceGrants(): void {
    if (!this.budgetId) return;
    const members = this.groupMembers(GRANTS);
    if (members.length === 0) return;
    const budgetId = this.budgetId;
    const open = this.calls.find((call) => call.budgetId === budgetId && !call.awarded);
    if (!open) {
      const grants = this.lines().find((line) => line.lineId === 'grants');
      if (!grants || available(grants) < 50_000 * USD || !this.random.chance(0.1)) return;
      const grantCallId = this.id('call');
      const publisher = this.rep(this.random.pick(members));
      const deadline = new Date(Date.parse(this.world.now) + 14 * 24 * 3_600_000).toISOString();
      const published = this.world.execute(
        this.cmd({
          type: 'PublishGrantCall',
          actor: publisher,
          grantCallId,
          title: `Small grants round ${this.calls.length + 1}`,
          description: 'Grants of USD 5,000 to 30,000 for refugee-led organizations.',
          criteria: ['Led by refugees', 'Serves a community in a coalition country', 'Clear budget'],
          budgetId,
          lineId: 'grants',
          deadline,
        }),
      );
      if (!isDomainError(published))
        this.calls.push({
          grantCallId,
          budgetId,
          deadline,
          applications: [],
          reviewed: false,
          awarded: false,
        });
      return;
    }
    if (Date.parse(this.world.now) < Date.parse(open.deadline)) {
      const applicants = this.random.chance(0.5) ? 1 : 2;
      for (let i = 0; i < applicants; i++) {
        const outsider = this.random.chance(0.4);
        const organizationId = outsider ? `rlo-${this.random.int(1, 400)}` : this.random.pick(this.members());
        if (open.applications.some((application) => application.organizationId === organizationId)) continue;
        const applicationId = this.id('application');
        const requested = this.random.int(50, 300) * 100 * USD;
        const applied = this.world.execute(
          this.cmd({
            type: 'SubmitGrantApplication',
            actor: outsider ? this.facilitator : this.rep(organizationId),
            grantCallId: open.grantCallId,
            applicationId,
            applicantOrganizationId: organizationId,
            applicantName: outsider
              ? `Refugee-led organization ${organizationId.slice(4)}`
              : this.orgs.get(organizationId)!.name,
            amountRequested: requested,
            summary: 'Community classes and legal counselling for newly arrived families.',
          }),
        );
        if (!isDomainError(applied)) open.applications.push({ applicationId, organizationId, requested });
      }
      return;
    }
    if (!open.reviewed) {
      open.reviewed = true;
      for (const application of open.applications) {
        const reviewers = this.random.sample(
          members.filter((id) => id !== application.organizationId),
          2,
        );
        for (const reviewer of reviewers) {
          this.world.execute(
            this.cmd({
              type: 'ReviewGrantApplication',
              actor: this.rep(reviewer),
              grantCallId: open.grantCallId,
              applicationId: application.applicationId,
              recommendation: this.random.chance(0.6)
                ? 'fund'
                : this.random.pick(['doNotFund', 'revise'] as const),
              assessment: 'Strong community roots; the budget is realistic.',
            }),
          );
        }
      }
      return;
    }
    open.awarded = true;
    for (const application of open.applications) {
      if (!this.random.chance(0.55)) continue;
      const others = members.filter((id) => id !== application.organizationId);
      this.propose(
        this.rep(this.random.pick(others.length > 0 ? others : members)),
        `Grant to ${application.organizationId}`,
        'The Grants group recommends this award.',
        {
          kind: 'grantAward',
          grantCallId: open.grantCallId,
          applicationId: application.applicationId,
          applicantOrganizationId: application.organizationId,
          budgetId: open.budgetId,
          lineId: 'grants',
          amount: Math.round((application.requested * this.random.int(70, 100)) / 100),
        },
      );
    }
  }

  answerQuestions(): void {
    const question = this.openQuestions[0];
    if (!question || !this.random.chance(0.3)) return;
    this.openQuestions.shift();
    const steward = LINES.find((line) => line.lineId === question.lineId)?.steward ?? null;
    const answerers = steward ? this.groupMembers(steward) : this.members();
    if (answerers.length === 0) return;
    this.world.execute(
      this.cmd({
        type: 'AnswerBudgetQuestion',
        actor: this.rep(this.random.pick(answerers)),
        budgetId: question.budgetId,
        questionId: question.questionId,
        answer: 'The change follows the decision adopted last month; the figures are in the line history.',
      }),
    );
  }

  /** Now and then a member submits an expense on a line a group stewards, with a receipt. */
  submitExpense(): void {
    if (!this.budgetId || !this.random.chance(0.3)) return;
    const line = this.random.pick(LINES.filter((candidate) => candidate.steward !== null));
    const payee = this.random.chance(0.2) ? this.random.pick(this.members()) : null;
    // A generated history has no documents to store, and a cited document must be stored (the verification
    // checks its bytes, ADR 0025): its expenses cite none. The draws that made a receipt's hash and size
    // are still made, so every later draw of a seeded history stays what it was.
    for (let draw = 0; draw < 8; draw++) this.random.uuid();
    const expenseId = this.id('expense');
    const submitted = this.world.execute(
      this.cmd({
        type: 'SubmitExpense',
        actor: this.rep(this.random.pick(this.members())),
        budgetId: this.budgetId,
        expenseId,
        lineId: line.lineId,
        amount: this.random.int(50, 4_000) * USD,
        description: this.random.pick([
          'Interpreters for the regional call',
          'Printing',
          'Bus fares',
          'Venue',
        ]),
        payeeOrganizationId: payee,
        payeeName: payee ? null : this.random.pick(['Lingua Services', 'City Print', 'Metro Transit']),
        spentOn: this.world.now.slice(0, 10),
        // In the place the receipt's size was drawn (see above).
        receipts: ((): [] => {
          this.random.int(20_000, 900_000);
          return [];
        })(),
      }),
    );
    if (!isDomainError(submitted)) this.openExpenses.push({ budgetId: this.budgetId, expenseId });
  }

  /** The stewarding groups approve most expenses, reject a few; submitters withdraw some; approved ones get paid. */
  advanceExpenses(): void {
    for (const open of [...this.openExpenses]) {
      const budget = this.world.budget(open.budgetId);
      const expense = budget.status === 'open' ? budget.expenses[open.expenseId] : undefined;
      if (!expense || !['submitted', 'spent'].includes(expense.status)) {
        this.openExpenses.splice(this.openExpenses.indexOf(open), 1);
        continue;
      }
      const recused = [expense.submittedBy, expense.payeeOrganizationId, ...expense.approvals];
      const approvers = this.groupMembers(expense.approverGroupId).filter((id) => !recused.includes(id));
      const roll = this.random.next();
      const base = { budgetId: open.budgetId, expenseId: open.expenseId };
      if (expense.status === 'spent') {
        const payers = this.groupMembers(expense.approverGroupId);
        if (roll < 0.4 && payers.length > 0)
          this.world.execute(
            this.cmd({
              type: 'MarkExpensePaid',
              actor: this.rep(this.random.pick(payers)),
              ...base,
              reference: `Transfer ${this.world.now.slice(0, 10)}-${this.random.int(100, 999)}`,
            }),
          );
      } else if (roll < 0.04) {
        this.world.execute(
          this.cmd({ type: 'WithdrawExpense', actor: this.rep(expense.submittedBy), ...base, reason: null }),
        );
      } else if (roll < 0.1 && approvers.length > 0) {
        this.world.execute(
          this.cmd({
            type: 'RejectExpense',
            actor: this.rep(this.random.pick(approvers)),
            ...base,
            reason: 'The receipt does not match the amount.',
          }),
        );
      } else if (roll < 0.6 && approvers.length > 0) {
        this.world.execute(
          this.cmd({ type: 'ApproveExpense', actor: this.rep(this.random.pick(approvers)), ...base }),
        );
      }
    }
  }

  /** After a membership admission is executed, welcome the new organization's representatives. */
  seatNewMembers(): void {
    for (const org of this.orgs.values()) {
      if (org.persons.length > 0) continue;
      const member = this.world.member(org.organizationId);
      if (member.status === 'member') this.welcome(org.organizationId, member.name);
    }
  }

  tick(): void {
    this.world.advance(TICK_HOURS);
    this.rollover();
    this.seatNewMembers();
    const proposals = this.random.int(0, 3);
    for (let i = 0; i < proposals && this.active.size < 40; i++) this.proposeSomething();
    this.advanceGrants();
    this.answerQuestions();
    this.submitExpense();
    this.advanceExpenses();
    for (const active of [...this.active.values()]) this.advanceProposal(active);
  }

  /** A month before a fiscal year ends, the coalition opens the next one and re-mandates its groups. */
  rollover(): void {
    const next = this.budgetYear + 1;
    const now = Date.parse(this.world.now);
    if (!this.nextBudgetProposed && now > Date.parse(`${this.budgetYear}-12-01T00:00:00Z`)) {
      this.nextBudgetProposed = true;
      this.proposeOpening(next);
    }
    const nextBudget = this.world.budget(`fy${next}`);
    if (this.nextBudgetProposed && nextBudget.status === 'open') {
      this.budgetYear = next;
      this.budgetId = `fy${next}`;
      this.nextBudgetProposed = false;
      for (const group of GROUPS) {
        this.propose(
          this.proposer(),
          `Mandate of ${group.name} for ${next}`,
          'The same limits, on the new budget.',
          {
            kind: 'workingGroup',
            change: {
              action: 'setMandate',
              groupId: group.groupId,
              mandate: this.mandate(group.groupId, `fy${next}`),
              takeOverLines: false,
            },
          },
        );
      }
    } else if (this.nextBudgetProposed && now > Date.parse(`${next}-01-15T00:00:00Z`) && !this.active.size) {
      this.nextBudgetProposed = false;
    }
  }
}

/**
 * Generates a coalition's history as appends in causal order, ready for `store.append(streamId, events,
 * { expectedVersion })`. Exactly `options.events` events in total.
 */
export function* generateCoalition(options: CoalitionOptions): Generator<GeneratedAppend> {
  const coalition = new Coalition({
    seed: options.seed ?? 1,
    events: options.events,
    members: options.members ?? 24,
    start: options.start ?? '2024-01-08T09:00:00.000Z',
    legacyStanceRate: options.legacyStanceRate ?? 0.02,
  });
  let emitted = 0;
  const emit = function* (appends: Iterable<GeneratedAppend>): Generator<GeneratedAppend, boolean> {
    for (const append of appends) {
      const room = options.events - emitted;
      if (room <= 0) return true;
      const events = append.events.length > room ? append.events.slice(0, room) : append.events;
      emitted += events.length;
      yield { ...append, events };
    }
    return emitted >= options.events;
  };
  coalition.found();
  while (true) {
    if (yield* emit(coalition.world.drain(4000))) return;
    if (coalition.world.eventCount >= options.events) break;
    coalition.tick();
  }
  yield* emit(coalition.world.drain(0));
}
