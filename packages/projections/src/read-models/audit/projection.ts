import type { DomainEvent } from '@concord/domain';
import type { ProjectedEvent } from '../../projector/decode.ts';
import type { Rows } from '../../projector/unit-of-work.ts';
import { type BudgetRow, budgets } from '../budget/table.ts';
import { type MemberRow, members } from '../members/table.ts';
import { type ProposalRow, proposals } from '../proposals/table.ts';
import { iso, type View } from '../view.ts';
import { type AuditRow, auditTrail } from './table.ts';

/** The ids an event is about, whatever its type. */
export interface EventLinks {
  proposalId: string | null;
  budgetId: string | null;
  lineId: string | null;
  groupId: string | null;
  grantCallId: string | null;
  organizationId: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function linksOf(event: DomainEvent): EventLinks {
  const data = event.data as Record<string, unknown>;
  const execution = data.execution as { proposalId: string } | undefined;
  const basis = data.basis as { type: string; execution?: { proposalId: string } } | undefined;
  return {
    proposalId: text(data.proposalId) ?? execution?.proposalId ?? basis?.execution?.proposalId ?? null,
    budgetId: text(data.budgetId),
    lineId: text(data.lineId),
    groupId: text(data.groupId),
    grantCallId: text(data.grantCallId),
    organizationId:
      text(data.organizationId) ??
      text(data.applicantOrganizationId) ??
      text(data.recipientOrganizationId) ??
      text(data.payeeOrganizationId) ??
      null,
  };
}

/** An amount in minor units as people read it, e.g. `USD 12,500.00` (two decimals; no locale involved). */
export function formatMoney(amount: number, currency: string | null): string {
  const sign = amount < 0 ? '-' : '';
  const cents = Math.abs(amount);
  const digits = String(Math.floor(cents / 100));
  let whole = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) whole += ',';
    whole += digits[i];
  }
  const fraction = cents % 100;
  return `${sign}${currency ? `${currency} ` : ''}${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
}

const STANCE_WORDS = {
  consent: 'consents to',
  concerns: 'has concerns about',
  standAside: 'stands aside on',
  block: 'blocks',
} as const;

/** Organizations and money as the summary names them. */
class Names {
  constructor(
    readonly uow: Rows,
    readonly currency: string | null,
  ) {}

  /** A member's name and id, or the id of an organization that is not a member. */
  org(id: string | null | undefined): string {
    if (!id) return 'someone';
    const member = this.uow.get<MemberRow>(members, id);
    return member ? `${member.name} (${id})` : id;
  }

  money(amount: number): string {
    return formatMoney(amount, this.currency);
  }
}

/** The reason a person gave, as the end of a sentence. */
function because(reason: string | null): string {
  return reason ? `: ${reason}` : '';
}

/** One readable sentence per event, in English; ids stay visible so the sentence can be checked. */
function summarize(event: DomainEvent, names: Names, proposal: ProposalRow | undefined): string {
  const title = proposal
    ? `“${proposal.title}”`
    : `proposal ${(event.data as { proposalId?: string }).proposalId ?? ''}`;
  switch (event.type) {
    case 'CoalitionFounded':
      return `${event.data.coalitionName} was founded by ${event.data.foundingMembers.length} organizations`;
    case 'DecisionRulesChanged': {
      const { quorum, minimumFeedbackHours } = event.data.rules;
      return `Decision rules changed: quorum ${quorum.numerator}/${quorum.denominator}, feedback ${minimumFeedbackHours} h (decided by ${title})`;
    }
    case 'SharedValuesRevised':
      return `Shared values revised (${event.data.sharedValues.length} statements, decided by ${title})`;
    case 'SopAdopted':
      return `SOP “${event.data.title}” adopted as version ${event.data.version} (decided by ${title})`;
    case 'SopRetired':
      return `SOP ${event.data.sopId} retired (decided by ${title})`;
    case 'MemberAdmitted':
      return event.data.basis.type === 'founding'
        ? `${event.data.name} joined as a founding member`
        : `${event.data.name} was admitted as a member (decided by ${title})`;
    case 'MemberDeparted':
      return `${names.org(event.data.organizationId)} left the coalition: ${event.data.reason}`;
    case 'RepresentativeInvited':
      return event.data.confirmed
        ? `Person ${event.data.personId} was invited by ${names.org(event.data.organizationId)} to represent it${because(event.data.reason)}`
        : `Person ${event.data.personId} was invited to represent ${names.org(event.data.organizationId)}, pending the organization's confirmation${because(event.data.reason)}`;
    case 'RepresentativeJoined':
      return `Person ${event.data.personId} accepted to represent ${names.org(event.data.organizationId)}`;
    case 'RepresentativeConfirmed':
      return `${names.org(event.data.organizationId)} confirmed person ${event.data.personId} as its representative${because(event.data.reason)}`;
    case 'RepresentativeAppointed':
      return event.data.basis.type === 'founding'
        ? `Person ${event.data.personId} was named at the founding to represent ${names.org(event.data.organizationId)}`
        : `Person ${event.data.personId} was named to represent ${names.org(event.data.organizationId)} (decided by ${title})`;
    case 'RepresentativeRemoved':
      return `Person ${event.data.personId} no longer represents ${names.org(event.data.organizationId)}${because(event.data.reason)}`;
    case 'MemberProfileUpdated':
      return `${names.org(event.data.organizationId)} updated its profile${because(event.data.reason)}`;
    case 'WorkingGroupCreated':
      return `Working group “${event.data.name}” created (decided by ${title})`;
    case 'WorkingGroupMandateSet':
      return `Mandate of working group ${event.data.groupId} replaced (decided by ${title})`;
    case 'WorkingGroupLeadsSet':
      return `Leads of working group ${event.data.groupId}: ${event.data.leadOrganizationIds.map((id) => names.org(id)).join(', ') || 'none'} (decided by ${title})`;
    case 'WorkingGroupDissolved':
      return `Working group ${event.data.groupId} dissolved (decided by ${title})`;
    case 'WorkingGroupJoined':
      return `${names.org(event.data.organizationId)} joined working group ${event.data.groupId}, committing ${event.data.hoursPerMonth} h/month${because(event.data.reason)}`;
    case 'WorkingGroupLeft':
      return `${names.org(event.data.organizationId)} left working group ${event.data.groupId}${because(event.data.reason)}`;
    case 'TimeCommitted':
      return `${names.org(event.data.organizationId)} now commits ${event.data.hoursPerMonth} h/month to working group ${event.data.groupId}${because(event.data.reason)}`;
    case 'BudgetOpened':
      return `Budget “${event.data.name}” opened in ${event.data.currency} for ${event.data.fiscalPeriod.start} to ${event.data.fiscalPeriod.end} (decided by ${title})`;
    case 'BudgetLineCreated':
      return `Line “${event.data.name}” created with ${names.money(event.data.allocated)} (decided by ${title})`;
    case 'BudgetLineAllocationChanged':
      return `Allocation of line ${event.data.lineId} ${event.data.delta >= 0 ? 'raised' : 'lowered'} by ${names.money(Math.abs(event.data.delta))} (decided by ${title})`;
    case 'BudgetLineSpent':
      return `${names.money(event.data.amount)} spent from line ${event.data.lineId}: ${event.data.description}${
        event.data.payeeOrganizationId ? `, paid to ${names.org(event.data.payeeOrganizationId)}` : ''
      } (decided by ${title})`;
    case 'GrantFundsCommitted':
      return `${names.money(event.data.amount)} committed on line ${event.data.lineId} to a grant for ${names.org(event.data.recipientOrganizationId)} (decided by ${title})`;
    case 'GrantFundsDisbursed':
      return `${names.money(event.data.amount)} of grant ${event.data.applicationId} paid from line ${event.data.lineId} (decided by ${title})`;
    case 'BudgetLineStewardshipChanged':
      return `Line ${event.data.lineId} now stewarded by ${
        event.data.stewardGroupId ? `working group ${event.data.stewardGroupId}` : 'the full coalition'
      }, partners: ${event.data.partnerOrganizationIds.map((id) => names.org(id)).join(', ') || 'none'} (decided by ${title})`;
    case 'BudgetQuestionRaised':
      return `${names.org(event.data.organizationId)} asked about line ${event.data.lineId}: ${event.data.text}`;
    case 'BudgetQuestionAnswered':
      return `${names.org(event.data.organizationId)} answered question ${event.data.questionId}`;
    case 'ExpenseSubmitted':
      return `${names.org(event.data.organizationId)} submitted expense ${event.data.expenseId} of ${names.money(event.data.amount)} on line ${event.data.lineId}: ${event.data.description}${
        event.data.payeeOrganizationId
          ? `, paid to ${names.org(event.data.payeeOrganizationId)}`
          : event.data.payeeName
            ? `, paid to ${event.data.payeeName}`
            : ''
      } (${event.data.approvalsNeeded} approval${event.data.approvalsNeeded === 1 ? '' : 's'} of working group ${event.data.approverGroupId} needed)`;
    case 'ExpenseApproved':
      return `${names.org(event.data.organizationId)} approved expense ${event.data.expenseId}`;
    case 'ExpenseSpent':
      return `${names.money(event.data.amount)} spent from line ${event.data.lineId}: expense ${event.data.expenseId}, approved`;
    case 'ExpenseRejected':
      return `${names.org(event.data.organizationId)} rejected expense ${event.data.expenseId}${because(event.data.reason)}`;
    case 'ExpenseWithdrawn':
      return `${names.org(event.data.organizationId)} withdrew expense ${event.data.expenseId}${because(event.data.reason)}`;
    case 'ExpensePaid':
      return `Expense ${event.data.expenseId} paid (reference ${event.data.reference}), recorded by ${names.org(event.data.organizationId)}`;
    case 'GrantCallPublished':
      return `Grant call “${event.data.title}” published on line ${event.data.lineId}, deadline ${event.data.deadline}`;
    case 'GrantApplicationSubmitted':
      return `${event.data.applicantName} applied to grant call ${event.data.grantCallId} for ${names.money(event.data.amountRequested)}`;
    case 'GrantApplicationReviewed':
      return `${names.org(event.data.reviewerOrganizationId)} reviewed application ${event.data.applicationId}: ${event.data.recommendation}`;
    case 'GrantAwarded':
      return `Grant of ${names.money(event.data.amount)} awarded to application ${event.data.applicationId} (decided by ${title})`;
    case 'GrantDisbursed':
      return `${names.money(event.data.amount)} paid to application ${event.data.applicationId} (decided by ${title})`;
    case 'ProposalDrafted':
      return `${event.data.proposer.organizationId ? names.org(event.data.proposer.organizationId) : event.data.proposer.personId} drafted “${event.data.title}”`;
    case 'ProposalAmended':
      return `${title} amended to revision ${event.data.revision}${because(event.data.reason)}`;
    case 'ProposalOpened': {
      const body = event.data.routing.decidingBody;
      return `${title} opened for feedback until ${event.data.feedbackEndsAt}; decided by ${
        body.type === 'coalition' ? 'the full coalition' : `working group ${body.groupId}`
      } (${event.data.routing.reason})`;
    }
    case 'ProposalCommented':
      return `${event.data.organizationId ? names.org(event.data.organizationId) : event.data.personId} commented on ${title}`;
    case 'TranslationAdded':
      return `${names.org(event.data.organizationId)} translated ${
        { proposal: 'the text', comment: 'a comment', stanceReason: 'a stance reason' }[event.data.item.kind]
      } of ${title} into ${event.data.language}`;
    case 'StanceTaken':
      return `${names.org(event.data.organizationId)} ${STANCE_WORDS[event.data.stance]} ${title}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'ProposalWithdrawn':
      return `${title} withdrawn: ${event.data.reason}`;
    case 'ProposalDecisionScheduled':
      return `Decision on ${title} scheduled for ${event.data.scheduledFor}${because(event.data.reason)}`;
    case 'UndecidedReminded':
      return `Organizations without a stance on ${title} were reminded: ${event.data.organizationIds.map((id) => names.org(id)).join(', ')}`;
    case 'ProposalSecondRoundStarted':
      return `${title} blocked in the first round: second round until ${event.data.feedbackEndsAt}`;
    case 'ProposalDecided': {
      const { tally } = event.data;
      return `${title} ${event.data.outcome === 'adopted' ? 'adopted' : 'not adopted'} (${event.data.reason}): ${tally.consent} consent, ${tally.concerns} concerns, ${tally.standAside} stand aside, ${tally.block} block of ${tally.eligible}`;
    }
    case 'ProposalExecuted':
      return `${title} executed`;
    case 'ProposalExecutionFailed':
      return `${title} could not be executed: ${event.data.failure.message}`;
    case 'PersonForgotten':
      return `Person ${event.data.personId} was forgotten (${
        {
          self: 'at their own request',
          organization: 'by their organization',
          facilitator: 'by the facilitator',
        }[event.data.on]
      }): their name and address are gone; their acts stay`;
    case 'HistoryRewritten':
      return `Stored history was rewritten by an operator: ${event.data.rewritten.length} events changed (${event.data.reason}); head digest ${event.data.previousHeadDigest.slice(0, 12)}… became ${event.data.headDigest.slice(0, 12)}…`;
    case 'LogKeyPublished':
      return event.data.replaces
        ? `The instance signs its checkpoints with a new key ${event.data.publicKey} (it replaces ${event.data.replaces})`
        : `The instance signs its checkpoints with key ${event.data.publicKey}`;
    case 'WitnessKeyRegistered':
      return `${names.org(event.data.organizationId)} registered witness key ${event.data.keyName}`;
    case 'WitnessKeyRevoked':
      return `${names.org(event.data.organizationId)} revoked witness key ${event.data.keyName}`;
    case 'PartnershipEstablished':
      return `Partnership “${event.data.title}” established with ${event.data.partners.map((partner) => partner.name).join(', ')} (decided by ${title})`;
    case 'PartnershipAgreementChanged':
      return `The agreement of partnership ${event.data.partnershipId} changed (decided by ${title})`;
    case 'PartnerContactInvited':
      return `A person was invited to take part for ${event.data.organizationId} in partnership ${event.data.partnershipId}`;
    case 'PartnerContactJoined':
      return `A person joined partnership ${event.data.partnershipId} for ${event.data.organizationId}`;
    case 'PartnerContactRemoved':
      return `A person's part for ${event.data.organizationId} in partnership ${event.data.partnershipId} ended`;
    case 'CheckInRoundOpened':
      return `Check-in round ${event.data.roundId} of partnership ${event.data.partnershipId} opened${event.data.pooled ? ' (pooled)' : ''}, closing ${event.data.closesAt}`;
    case 'CheckInAnswered':
      return `${names.org(event.data.organizationId)} answered check-in round ${event.data.roundId}`;
    case 'CheckInRoundClosed':
      return `Check-in round ${event.data.roundId} of partnership ${event.data.partnershipId} closed`;
    case 'PartnershipActionProposed':
      return `${names.org(event.data.organizationId)} proposed action ${event.data.actionId} in partnership ${event.data.partnershipId}, due ${event.data.dueDate}`;
    case 'PartnershipActionAgreedTo':
      return `${names.org(event.data.organizationId)} agreed to action ${event.data.actionId}`;
    case 'PartnershipActionAgreed':
      return `Every party agreed to action ${event.data.actionId}`;
    case 'PartnershipActionFollowedUp':
      return `${names.org(event.data.organizationId)} followed up action ${event.data.actionId}: ${event.data.status}`;
    case 'ReflectionRecorded':
      return `${names.org(event.data.organizationId)} recorded a reflection in partnership ${event.data.partnershipId}`;
  }
}

function actorOf({ recorded }: ProjectedEvent) {
  const actor = recorded.metadata.actor;
  return {
    personId: actor?.personId ?? null,
    organizationId: actor?.organizationId ?? null,
    role: actor?.role ?? null,
  };
}

/**
 * The audit trail: one row per event with its global position, times, actor, the organization, body,
 * proposal, line, group and grant call it concerns, a readable summary, its stream, its hash and its data.
 */
export const auditView: View & { rowOf(event: ProjectedEvent, uow: Rows): AuditRow } = {
  name: 'audit',
  types: [],
  needs(projected, uow) {
    const { links } = projected;
    const actor = actorOf(projected);
    if (links.proposalId) uow.want(proposals, links.proposalId);
    if (links.budgetId) uow.want(budgets, links.budgetId);
    if (actor.organizationId) uow.want(members, actor.organizationId);
    if (links.organizationId) uow.want(members, links.organizationId);
    if (projected.event.type === 'WorkingGroupLeadsSet') {
      for (const id of projected.event.data.leadOrganizationIds) uow.want(members, id);
    }
    if (projected.event.type === 'GrantApplicationReviewed') {
      uow.want(members, projected.event.data.reviewerOrganizationId);
    }
    if (projected.event.type === 'UndecidedReminded') {
      for (const id of projected.event.data.organizationIds) uow.want(members, id);
    }
  },
  rowOf(projected, uow) {
    const { event, recorded, links, recordedAt } = projected;
    const actor = actorOf(projected);
    const proposal = links.proposalId ? uow.get<ProposalRow>(proposals, links.proposalId) : undefined;
    const budget = links.budgetId ? uow.get<BudgetRow>(budgets, links.budgetId) : undefined;
    const bodyType = proposal?.deciding_body_type ?? (links.groupId ? 'workingGroup' : null);
    const at = (event.data as { at?: string }).at;
    return {
      global_position: recorded.globalPosition,
      event_id: recorded.id,
      stream_id: recorded.streamId,
      stream_position: recorded.streamPosition,
      type: recorded.type,
      recorded_at: recordedAt,
      occurred_at: at ? iso(at) : null,
      actor_person_id: actor.personId,
      actor_organization_id: actor.organizationId,
      actor_role: actor.role,
      organization_id: links.organizationId ?? actor.organizationId,
      body_type: bodyType,
      body_group_id: proposal
        ? proposal.deciding_group_id
        : bodyType === 'workingGroup'
          ? links.groupId
          : null,
      proposal_id: links.proposalId,
      budget_id: links.budgetId,
      line_id: links.lineId,
      group_id: links.groupId,
      grant_call_id: links.grantCallId,
      summary: summarize(event, new Names(uow, budget?.currency ?? null), proposal),
      hash: recorded.hash,
      data: event.data as Record<string, unknown>,
    };
  },
  apply(projected, { uow }) {
    uow.append(auditTrail, auditView.rowOf(projected, uow));
  },
};
