import type { CommandType } from './commands.ts';
import type { DomainError } from './errors.ts';
import { type ActorRole, roleRefusal } from './shared/actor.ts';

/**
 * Who may issue which command: the one table of the domain's permissions, checked before any decider
 * looks at a command. Which organization a representative may act for is the deciders' business (it
 * depends on the command's fields and the aggregate's state); whether their role may issue the command
 * at all is decided here and nowhere else.
 */
export const allowedCommands = {
  /**
   * A person acting for the member organization they represent: everything people do in the coalition.
   * Each decider then checks that the organization acted for is their own.
   */
  representative: [
    'FoundCoalition',
    'InviteRepresentative',
    'AcceptRepresentation',
    'ConfirmRepresentative',
    'RemoveRepresentative',
    'UpdateMemberProfile',
    'JoinWorkingGroup',
    'LeaveWorkingGroup',
    'CommitTime',
    'RaiseBudgetQuestion',
    'AnswerBudgetQuestion',
    'SubmitExpense',
    'ApproveExpense',
    'RejectExpense',
    'WithdrawExpense',
    'MarkExpensePaid',
    'PublishGrantCall',
    'SubmitGrantApplication',
    'ReviewGrantApplication',
    'DraftProposal',
    'AmendProposal',
    'OpenProposal',
    'CommentOnProposal',
    'TakeStance',
    'AddTranslation',
    'WithdrawProposal',
    'ScheduleDecision',
    'DecideProposal',
    'ForgetPerson',
    'RegisterWitnessKey',
    'RevokeWitnessKey',
    'AnswerCheckIn',
    'ProposePartnershipAction',
    'AgreeToPartnershipAction',
    'FollowUpPartnershipAction',
    'RecordReflection',
  ],
  /**
   * The secretariat. It records the founding, invites people (the organization confirms them), proposes,
   * comments and schedules like anyone else, reminds the organizations that have not taken a stance (a
   * reminder is the secretariat's job, not a member's), asks for computed decisions, and enters grant applications
   * of organizations outside the coalition, and forgets a person who asks it to. It never acts in a member
   * organization's name: no stance, no confirmation, no profile, no group membership, no review, no
   * answer, and never money.
   */
  facilitator: [
    'FoundCoalition',
    'InviteRepresentative',
    'SubmitGrantApplication',
    'DraftProposal',
    'AmendProposal',
    'OpenProposal',
    'CommentOnProposal',
    'WithdrawProposal',
    'ScheduleDecision',
    'RemindUndecided',
    'DecideProposal',
    'ForgetPerson',
    'InvitePartnerContact',
    'RemovePartnerContact',
    'OpenCheckInRound',
    'CloseCheckInRound',
  ],
  /** Auditors read, replay and verify; they change nothing. */
  auditor: [],
  /**
   * A partner organization's person: takes part in their partnership for their organization (checks
   * which partnership and organization in the decider), and ends their own part.
   */
  partner: [
    'AcceptPartnerContact',
    'RemovePartnerContact',
    'AnswerCheckIn',
    'ProposePartnershipAction',
    'AgreeToPartnershipAction',
    'FollowUpPartnershipAction',
    'RecordReflection',
  ],
  /** Process steps: the founding's and adopted decisions' effects, and decisions that fall due. */
  system: [
    'FoundCoalition',
    'AmendCharter',
    'AdmitMember',
    'RecordMemberDeparture',
    'AppointRepresentative',
    'CreateWorkingGroup',
    'SetWorkingGroupMandate',
    'SetWorkingGroupLeads',
    'DissolveWorkingGroup',
    'ExecuteBudgetChange',
    'AwardGrant',
    'RecordGrantDisbursements',
    'DecideProposal',
    'RecordProposalExecution',
    'RecordExecutionFailure',
    'RecordHistoryRewrite',
    'RemoveRepresentative',
    'PublishLogKey',
    'EstablishPartnership',
    'ChangePartnershipAgreement',
    'OpenCheckInRound',
    'CloseCheckInRound',
  ],
} as const satisfies Record<ActorRole, readonly CommandType[]>;

const allowed = new Map<string, ReadonlySet<string>>(
  Object.entries(allowedCommands).map(([role, types]) => [role, new Set<string>(types)]),
);

/** The roles that may issue `type`, in the table's order. */
export function rolesAllowedTo(type: CommandType): ActorRole[] {
  return (Object.keys(allowedCommands) as ActorRole[]).filter((role) => allowed.get(role)?.has(type));
}

/**
 * Refuses a command whose actor's role may not issue it, with the error that explains why; null when the
 * role may, and for input too malformed to tell (the command's schema then refuses it).
 */
export function checkPermission(command: unknown): DomainError | null {
  const { type, actor } = (command ?? {}) as { type?: unknown; actor?: { role?: unknown } };
  const role = actor?.role;
  if (typeof type !== 'string' || typeof role !== 'string') return null;
  const types = allowed.get(role);
  if (!types || types.has(type) || !rolesAllowedTo(type as CommandType).length) return null;
  return roleRefusal(role as ActorRole, rolesAllowedTo(type as CommandType));
}
