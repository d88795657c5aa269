import type {
  Actor,
  CommandDraft,
  DecisionRules,
  Mandate,
  MemberProfile,
  ProposableBudgetChange,
  ProposalPayload,
  Sop,
  Stance,
} from '@concord/domain';

/**
 * The one coalition seeder: builds a coalition through the domain's commands, in the order people would
 * give them (the founding with its charter and members, representatives accepting and inviting their
 * colleagues, profiles, working groups created by decision, members joining them, the opening budget
 * with its lines, then any further proposals). What the coalition is made of, and how large it is, is
 * all in the `CoalitionSeed`; where the commands go is the caller's: the generator decides them in
 * memory (`World`), the API runs them through its command pipeline (the demo, tests, benches).
 *
 * The seeder is a list of steps (`seedSteps`) rather than code that runs them, so one description serves
 * a synchronous runner (the generator) and an asynchronous one (`runSeed`).
 * @module
 */

/** A command as the seeder gives it: the runner adds the time (`now`) and the facts (`context`). */
export type SeedCommand = CommandDraft extends infer Command
  ? Command extends unknown
    ? Omit<Command, 'now'>
    : never
  : never;

/** One step of seeding: a command, a moment to wait for the process steps, or time passing. */
export type SeedStep =
  | { kind: 'command'; command: SeedCommand }
  /** Wait until the process steps (the founding's admissions, decisions' executions) have run. */
  | { kind: 'settle' }
  /** Time moves on to `day` days after the founding (forward only). */
  | { kind: 'day'; day: number };

/** A member organization of the founding. */
export interface SeedOrganization {
  organizationId: string;
  name: string;
  /** Persons the founding names as its first representatives; each accepts. */
  representatives: readonly string[];
  /** Colleagues the first representative then invites (each accepts). */
  colleagues?: readonly { personId: string; reason: string | null }[];
  profile?: MemberProfile;
  /** Who speaks for it (takes stances, proposes, joins groups); default its first representative. */
  speaker?: string;
}

/** Who says what on a proposal before it is decided. */
export interface SeedDiscussion {
  comments?: readonly { by: string; text: string }[];
  /** Stances by organization; default: every representative of `voters` (or every member) consents. */
  stances?: readonly { by: string; stance: Stance; reason?: string | null }[];
  /** The organization deciding once the feedback window has passed; null leaves the proposal open. */
  decidedBy?: string | null;
}

/** A proposal of the seed: its text, who proposes it (an organization, or null for the facilitator). */
export interface SeedProposal extends SeedDiscussion {
  proposalId: string;
  proposer: string | null;
  title: string;
  body: string;
  payload: ProposalPayload;
  /** Drafted only, never opened. */
  draftOnly?: boolean;
}

/** A working group the coalition creates by decision, and the members who join it. */
export interface SeedWorkingGroup extends SeedDiscussion {
  groupId: string;
  name: string;
  purpose: string;
  mandate: Mandate;
  proposer: string;
  /** The proposal's text; default "Create the NAME working group" and the purpose. */
  title?: string;
  body?: string;
  members?: readonly { organizationId: string; hoursPerMonth: number }[];
}

/** The opening budget and its lines, adopted by decision. */
export interface SeedBudget extends SeedDiscussion {
  budgetId: string;
  name: string;
  fiscalPeriod: { start: string; end: string };
  currency: string;
  proposer: string;
  title: string;
  body: string;
  lines: readonly Extract<ProposableBudgetChange, { op: 'createLine' }>[];
}

/** When things happen, in days after the founding (defaults: each feedback window has passed). */
export interface SeedTimeline {
  groupsProposed: number;
  groupsDiscussed: number;
  groupsDecided: number;
  groupsJoined: number;
  budgetProposed: number;
  budgetDiscussed: number;
  budgetDecided: number;
  proposals: number;
}

/** Everything a seeded coalition is made of. */
export interface CoalitionSeed {
  coalitionName: string;
  rules: DecisionRules;
  sharedValues: readonly string[];
  sops: readonly Sop[];
  facilitator: Actor;
  organizations: readonly SeedOrganization[];
  workingGroups?: readonly SeedWorkingGroup[];
  budget?: SeedBudget;
  /** Proposals after the founding (open, or decided where `decidedBy` says). */
  proposals?: readonly SeedProposal[];
  timeline?: Partial<SeedTimeline>;
  /** Proposal ids of the groups and the budget (default `proposal-<groupId>`, `proposal-<budgetId>`). */
  proposalId?: (key: string) => string;
}

/** The representative who speaks for an organization (its `speaker`, else its first); null: the facilitator. */
export function speakerOf(seed: CoalitionSeed, organizationId: string | null): Actor {
  if (organizationId === null) return seed.facilitator;
  const organization = seed.organizations.find((org) => org.organizationId === organizationId);
  const personId = organization?.speaker ?? organization?.representatives[0];
  if (!personId) throw new Error(`seed: no representative for ${organizationId}`);
  return { role: 'representative', personId, organizationId };
}

function timelineOf(seed: CoalitionSeed): SeedTimeline {
  // A decision waits for its feedback window: the founding rules' minimum, in days, and a little more.
  const window = Math.ceil(seed.rules.minimumFeedbackHours / 24) + 0.5;
  const groupsProposed = seed.timeline?.groupsProposed ?? 1;
  const groupsDecided = seed.timeline?.groupsDecided ?? groupsProposed + window;
  const groupsJoined = seed.timeline?.groupsJoined ?? groupsDecided;
  const budgetProposed = seed.timeline?.budgetProposed ?? groupsJoined;
  const budgetDecided = seed.timeline?.budgetDecided ?? budgetProposed + window;
  return {
    groupsProposed,
    groupsDiscussed: seed.timeline?.groupsDiscussed ?? groupsProposed,
    groupsDecided,
    groupsJoined,
    budgetProposed,
    budgetDiscussed: seed.timeline?.budgetDiscussed ?? budgetProposed,
    budgetDecided,
    proposals: seed.timeline?.proposals ?? budgetDecided,
  };
}

/** The steps that seed `seed`, in order. */
export function* seedSteps(seed: CoalitionSeed): Generator<SeedStep> {
  const when = timelineOf(seed);
  const command = (c: SeedCommand): SeedStep => ({ kind: 'command', command: c });
  const day = (d: number): SeedStep => ({ kind: 'day', day: d });
  const members = seed.organizations.map((org) => org.organizationId);
  const proposalIdOf = seed.proposalId ?? ((key: string) => `proposal-${key}`);

  yield day(0);
  yield command({
    type: 'FoundCoalition',
    actor: seed.facilitator,
    coalitionName: seed.coalitionName,
    rules: seed.rules,
    sharedValues: [...seed.sharedValues],
    sops: [...seed.sops],
    foundingMembers: seed.organizations.map((org) => ({
      organizationId: org.organizationId,
      name: org.name,
      representativeIds: [...org.representatives],
    })),
  });
  // The founding admits the members through a process step: their streams exist once it ran.
  yield { kind: 'settle' };
  for (const org of seed.organizations) {
    const { organizationId } = org;
    for (const personId of org.representatives) {
      yield command({
        type: 'AcceptRepresentation',
        actor: { role: 'representative', personId, organizationId },
        organizationId,
      });
    }
    for (const colleague of org.colleagues ?? []) {
      yield command({
        type: 'InviteRepresentative',
        actor: speakerOf(seed, organizationId),
        organizationId,
        personId: colleague.personId,
        reason: colleague.reason,
      });
      yield command({
        type: 'AcceptRepresentation',
        actor: { role: 'representative', personId: colleague.personId, organizationId },
        organizationId,
      });
    }
  }
  for (const org of seed.organizations) {
    if (!org.profile) continue;
    yield command({
      type: 'UpdateMemberProfile',
      actor: speakerOf(seed, org.organizationId),
      organizationId: org.organizationId,
      profile: org.profile,
    });
  }

  const groups = (seed.workingGroups ?? []).map((group) => ({
    group,
    proposal: {
      ...group,
      proposalId: proposalIdOf(group.groupId),
      title: group.title ?? `Create the ${group.name} working group`,
      body: group.body ?? group.purpose,
      payload: {
        kind: 'workingGroup',
        change: {
          action: 'create',
          groupId: group.groupId,
          name: group.name,
          purpose: group.purpose,
          mandate: group.mandate,
          takeOverLines: false,
        },
      },
    } satisfies SeedProposal,
  }));
  if (groups.length > 0) {
    yield day(when.groupsProposed);
    for (const { proposal } of groups) yield* propose(seed, proposal);
    for (const { proposal } of groups) yield* comments(seed, proposal);
    yield day(when.groupsDiscussed);
    for (const { proposal } of groups) yield* stances(seed, proposal, members);
    yield day(when.groupsDecided);
    for (const { proposal } of groups) yield* decide(seed, proposal);
    yield day(when.groupsJoined);
    for (const { group } of groups) {
      for (const member of group.members ?? []) {
        yield command({
          type: 'JoinWorkingGroup',
          actor: speakerOf(seed, member.organizationId),
          groupId: group.groupId,
          hoursPerMonth: member.hoursPerMonth,
        });
      }
    }
  }

  if (seed.budget) {
    const { budget } = seed;
    const proposal: SeedProposal = {
      ...budget,
      proposalId: proposalIdOf(budget.budgetId),
      payload: {
        kind: 'budgetChange',
        budgetId: budget.budgetId,
        opening: { name: budget.name, fiscalPeriod: budget.fiscalPeriod, currency: budget.currency },
        changes: [...budget.lines],
      },
    };
    yield day(when.budgetProposed);
    yield* propose(seed, proposal);
    yield* comments(seed, proposal);
    yield day(when.budgetDiscussed);
    yield* stances(seed, proposal, members);
    yield day(when.budgetDecided);
    yield* decide(seed, proposal);
  }

  if (seed.proposals?.length) {
    yield day(when.proposals);
    for (const proposal of seed.proposals) {
      yield* propose(seed, proposal);
      if (proposal.draftOnly) continue;
      yield* comments(seed, proposal);
      if (proposal.stances) yield* stances(seed, proposal, members);
      yield* decide(seed, proposal);
    }
  }
}

function* propose(seed: CoalitionSeed, proposal: SeedProposal): Generator<SeedStep> {
  const actor = speakerOf(seed, proposal.proposer);
  const { proposalId, title, body, payload } = proposal;
  yield { kind: 'command', command: { type: 'DraftProposal', actor, proposalId, title, body, payload } };
  if (proposal.draftOnly) return;
  yield { kind: 'command', command: { type: 'OpenProposal', actor, proposalId, urgentReason: null } };
}

function* comments(seed: CoalitionSeed, proposal: SeedProposal): Generator<SeedStep> {
  for (const [index, comment] of (proposal.comments ?? []).entries()) {
    yield {
      kind: 'command',
      command: {
        type: 'CommentOnProposal',
        actor: speakerOf(seed, comment.by),
        proposalId: proposal.proposalId,
        commentId: `${proposal.proposalId}-comment-${index + 1}`,
        text: comment.text,
      },
    };
  }
}

function* stances(
  seed: CoalitionSeed,
  proposal: SeedProposal,
  members: readonly string[],
): Generator<SeedStep> {
  const given = proposal.stances ?? members.map((by) => ({ by, stance: 'consent' as const, reason: null }));
  for (const { by, stance, reason } of given) {
    yield {
      kind: 'command',
      command: {
        type: 'TakeStance',
        actor: speakerOf(seed, by),
        proposalId: proposal.proposalId,
        stance,
        reason: reason ?? null,
      },
    };
  }
}

function* decide(seed: CoalitionSeed, proposal: SeedProposal): Generator<SeedStep> {
  if (proposal.decidedBy === null) return;
  const decider = proposal.decidedBy ?? proposal.proposer;
  yield {
    kind: 'command',
    command: { type: 'DecideProposal', actor: speakerOf(seed, decider), proposalId: proposal.proposalId },
  };
  // The decision's effects (a group created, a budget opened) are written by the execution step.
  yield { kind: 'settle' };
}

/** Where an asynchronous runner sends the seeder's steps. */
export interface SeedRunner {
  /** Runs one command (the runner adds `now` and the context); a refusal throws. */
  run(command: SeedCommand): Promise<void>;
  /** Waits until the process steps have run. */
  settle(): Promise<void>;
  /** Moves the clock to `day` days after the founding (a runner without a clock to move ignores it). */
  day?(day: number): void;
}

/** Runs the seeder's steps through `runner`, one after the other. */
export async function runSeed(seed: CoalitionSeed, runner: SeedRunner): Promise<void> {
  for (const step of seedSteps(seed)) {
    if (step.kind === 'command') await runner.run(step.command);
    else if (step.kind === 'settle') await runner.settle();
    else runner.day?.(step.day);
  }
}
