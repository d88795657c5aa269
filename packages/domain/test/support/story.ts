import {
  type Actor,
  type DomainCommand,
  type DomainEvent,
  isDomainError,
  type ProposalPayload,
  type Stance,
} from '../../src/index.ts';
import { facilitator, rep } from './fixtures.ts';
import type { StoredEvent, World } from './world.ts';

/** Runs a command that must succeed, with its context filled by the world. */
export function must(world: World, command: DomainCommand): DomainEvent[] {
  const result = world.execute(world.withContext(command));
  if (isDomainError(result)) {
    throw new Error(`${command.type} refused: ${result.code} ${JSON.stringify(result.details)}`);
  }
  return result.map((stored: StoredEvent) => stored.event);
}

/** Founds a coalition of `members` with `rules`, as the founding assembly would. */
export function found(
  world: World,
  members: string[],
  rules: Extract<DomainCommand, { type: 'FoundCoalition' }>['rules'],
) {
  must(world, {
    type: 'FoundCoalition',
    actor: facilitator,
    now: world.now,
    coalitionName: 'Coalition',
    rules,
    sharedValues: ['Equal voice'],
    sops: [],
    foundingMembers: members.map((organizationId) => ({
      organizationId,
      name: organizationId,
      representativeIds: [],
    })),
  });
}

/** Drafts and opens a proposal by `proposer`. */
export function propose(
  world: World,
  proposalId: string,
  payload: ProposalPayload,
  proposer: Actor = rep('o1'),
) {
  must(world, {
    type: 'DraftProposal',
    actor: proposer,
    now: world.now,
    proposalId,
    title: proposalId,
    body: 'Why',
    payload,
  });
  return must(world, {
    type: 'OpenProposal',
    actor: proposer,
    now: world.now,
    proposalId,
    urgentReason: null,
    context: null as never,
  });
}

/** Each organization takes `stance` on the proposal. */
export function stances(
  world: World,
  proposalId: string,
  organizations: string[],
  stance: Stance = 'consent',
) {
  for (const organizationId of organizations) {
    must(world, {
      type: 'TakeStance',
      actor: rep(organizationId),
      now: world.now,
      proposalId,
      stance,
      reason: stance === 'consent' ? null : 'A reason',
    });
  }
}

/** Waits out the window and asks for the decision; returns everything appended (decision and execution). */
export function decideAfter(world: World, proposalId: string, hours: number): DomainEvent[] {
  world.advance(hours);
  const before = world.log.length;
  must(world, { type: 'DecideProposal', actor: facilitator, now: world.now, proposalId });
  return world.log.slice(before).map((stored) => stored.event);
}

/** The representatives of `organizations` join the working group `groupId`. */
export function join(world: World, groupId: string, organizations: string[], hoursPerMonth: number) {
  for (const organizationId of organizations) {
    must(world, {
      type: 'JoinWorkingGroup',
      actor: rep(organizationId),
      now: world.now,
      groupId,
      hoursPerMonth,
    });
  }
}

/** o1 publishes the grant call `call-1`, "Round 1", on the grants line of budget b1, open until `deadline`. */
export function publishGrantCall(world: World, deadline: string) {
  must(world, {
    type: 'PublishGrantCall',
    actor: rep('o1'),
    now: world.now,
    grantCallId: 'call-1',
    title: 'Round 1',
    description: 'Small grants',
    criteria: ['Refugee-led'],
    budgetId: 'b1',
    lineId: 'grants',
    deadline,
    context: null as never,
  });
}

type Submission = Extract<DomainCommand, { type: 'SubmitGrantApplication' }>;

/** `application` is submitted to `call-1`, then the representative of `reviewer` recommends funding it. */
export function applyAndReview(
  world: World,
  application: Pick<
    Submission,
    'actor' | 'applicationId' | 'applicantOrganizationId' | 'applicantName' | 'amountRequested' | 'summary'
  >,
  reviewer: string,
  assessment: string,
) {
  must(world, {
    type: 'SubmitGrantApplication',
    now: world.now,
    grantCallId: 'call-1',
    ...application,
    context: null as never,
  });
  must(world, {
    type: 'ReviewGrantApplication',
    actor: rep(reviewer),
    now: world.now,
    grantCallId: 'call-1',
    applicationId: application.applicationId,
    recommendation: 'fund',
    assessment,
    context: null as never,
  });
}
