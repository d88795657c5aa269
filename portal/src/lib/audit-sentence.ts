// The audit trail in the reader's words: one sentence per event type, made from the data the event
// recorded (ids and values), with names for ids, money with the portal's formatter and times in the
// reader's zone. The one place that maps an event to its sentence (test/audit-sentence.test.ts checks that
// every event type of the domain has one). Relative imports (not $lib): unit-tested as is.
import type { DomainEvent, EventType } from '@concord/domain';
import { formatDate, formatDateTime, formatMoney, formatNumber } from './format.ts';
import { isolate } from './i18n.ts';
import { outcomeLabel } from './labels/outcome.ts';
import { recommendationLabel } from './labels/recommendation.ts';
import { stanceLabel } from './labels/stance.ts';
import { m } from './paraglide/messages.js';
import type { Locale } from './paraglide/runtime.js';

/** Names for the ids an event holds, as the page loaded them (an id it does not know gets a neutral word). */
export interface AuditNames {
  /** Members, and the outside organizations that applied for grants. */
  organizations: Record<string, string>;
  groups: Record<string, string>;
  /** Person id → name (a forgotten person is not there: "someone"). */
  people: Record<string, string>;
  proposals: Record<string, string>;
  /** Line id → name. */
  lines: Record<string, string>;
  budgets: Record<string, { name: string; currency: string }>;
  grantCalls: Record<string, { title: string; budgetId: string }>;
  /** The currency of amounts whose budget is not known (the current budget's). */
  currency: string | null;
}

export interface SentenceContext {
  locale: Locale;
  timeZone: string;
  names: AuditNames;
}

/** Quotation marks around a title, as each language writes them. */
const quotes: Record<Locale, [string, string]> = {
  en: ['“', '”'],
  es: ['«', '»'],
  fr: ['« ', ' »'],
  ar: ['«', '»'],
};

type DataOf<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];

/** The words a sentence is made of: names (isolated, so they can't reorder the sentence), money, times. */
class Words {
  readonly options: { locale: Locale };
  constructor(readonly context: SentenceContext) {
    this.options = { locale: context.locale };
  }
  private get names() {
    return this.context.names;
  }
  org(id: string | null | undefined, recorded?: string): string {
    const name = (id && this.names.organizations[id]) || recorded;
    return name ? isolate(name) : m.audit_an_organization({}, this.options);
  }
  orgs(ids: readonly string[]): string {
    if (ids.length === 0) return m.none({}, this.options);
    return this.all(ids.map((id) => this.org(id)));
  }
  /** Words joined as the language lists them ("A, B and C"). */
  all(words: readonly string[]): string {
    return new Intl.ListFormat(this.context.locale, { type: 'conjunction' }).format(words);
  }
  group(id: string, recorded?: string): string {
    return isolate(this.names.groups[id] ?? recorded ?? id);
  }
  person(id: string): string {
    const name = this.names.people[id];
    return name ? isolate(name) : m.audit_someone({}, this.options);
  }
  /** A title (a proposal's, a grant call's) in the language's quotation marks. */
  title(text: string): string {
    const [open, close] = quotes[this.context.locale];
    return `${open}${isolate(text)}${close}`;
  }
  proposal(id: string, recorded?: string): string {
    const title = this.names.proposals[id] ?? recorded;
    return title ? this.title(title) : m.audit_a_proposal({}, this.options);
  }
  decidedBy(execution: { proposalId: string }): string {
    return this.proposal(execution.proposalId);
  }
  line(id: string): string {
    const name = this.names.lines[id];
    return name ? isolate(name) : m.audit_a_line({}, this.options);
  }
  budget(id: string, recorded?: string): string {
    return isolate(this.names.budgets[id]?.name ?? recorded ?? id);
  }
  call(id: string, recorded?: string): string {
    const title = this.names.grantCalls[id]?.title ?? recorded;
    return title ? this.title(title) : m.audit_a_grant_call({}, this.options);
  }
  /** An amount in minor units, in its budget's currency (a grant call's budget for grant events). */
  money(amount: number, where: { budgetId?: string; grantCallId?: string }): string {
    const budgetId =
      where.budgetId ?? (where.grantCallId && this.names.grantCalls[where.grantCallId]?.budgetId);
    const currency = (budgetId && this.names.budgets[budgetId]?.currency) || this.names.currency;
    return currency
      ? formatMoney(amount, currency, this.context.locale)
      : isolate(formatNumber(amount / 100, this.context.locale, { minimumFractionDigits: 2 }));
  }
  count(value: number): string {
    return formatNumber(value, this.context.locale);
  }
  when(iso: string): string {
    return formatDateTime(iso, this.context.locale, { timeZone: this.context.timeZone });
  }
  /** A calendar day (a fiscal period's bounds): no time zone applies. */
  day(date: string): string {
    return formatDate(`${date.slice(0, 10)}T00:00:00Z`, this.context.locale);
  }
  language(code: string): string {
    try {
      return isolate(new Intl.DisplayNames([this.context.locale], { type: 'language' }).of(code) ?? code);
    } catch {
      return isolate(code);
    }
  }
  code(text: string): string {
    return isolate(text);
  }
}

// The words several sentences take from the same fields of their events, made in one place.

/** Why an organization was admitted or a representative appointed: the founding, or a decision (named). */
const admission = (
  basis: { type: 'founding' } | { type: 'decision'; execution: { proposalId: string } },
  w: Words,
) => ({ basis: basis.type, proposal: basis.type === 'decision' ? w.decidedBy(basis.execution) : '' });

/** A person and the member organization they represent (or are invited, confirmed, removed for). */
const representative = (d: { personId: string; organizationId: string }, w: Words) => ({
  person: w.person(d.personId),
  member: w.org(d.organizationId),
});

/** A person and the partner organization they take part for. */
const partnerContact = (d: { personId: string; organizationId: string }, w: Words) => ({
  person: w.person(d.personId),
  partner: w.org(d.organizationId),
});

/** A member organization and the working group it joined, left or gives time to. */
const groupMember = (d: { organizationId: string; groupId: string }, w: Words) => ({
  member: w.org(d.organizationId),
  group: w.group(d.groupId),
});

/** A working group and the proposal that decided about it. */
const groupDecision = (d: { groupId: string; execution: { proposalId: string } }, w: Words) => ({
  group: w.group(d.groupId),
  proposal: w.decidedBy(d.execution),
});

/** A member organization and the budget it asked about or spent from. */
const budgetMember = (d: { organizationId: string; budgetId: string }, w: Words) => ({
  member: w.org(d.organizationId),
  budget: w.budget(d.budgetId),
});

/** An amount decided for a grant: its award or a payment of it. */
const grantAmount = (
  d: { amount: number; grantCallId: string; execution: { proposalId: string } },
  w: Words,
) => ({ amount: w.money(d.amount, d), call: w.call(d.grantCallId), proposal: w.decidedBy(d.execution) });

/** One sentence per event type of the domain (a new type without one fails the type check and the test). */
export const auditSentences: { [T in EventType]: (data: DataOf<T>, w: Words) => string } = {
  CoalitionFounded: (d, w) =>
    m.audit_says_coalition_founded(
      { count: d.foundingMembers.length, coalition: isolate(d.coalitionName) },
      w.options,
    ),
  DecisionRulesChanged: (d, w) =>
    m.audit_says_decision_rules_changed(
      {
        hours: d.rules.minimumFeedbackHours,
        quorum: isolate(`${w.count(d.rules.quorum.numerator)}/${w.count(d.rules.quorum.denominator)}`),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  SharedValuesRevised: (d, w) =>
    m.audit_says_shared_values_revised(
      { count: d.sharedValues.length, proposal: w.decidedBy(d.execution) },
      w.options,
    ),
  SopAdopted: (d, w) =>
    m.audit_says_sop_adopted(
      { title: w.title(d.title), version: w.count(d.version), proposal: w.decidedBy(d.execution) },
      w.options,
    ),
  SopRetired: (d, w) =>
    m.audit_says_sop_retired({ sop: w.code(d.sopId), proposal: w.decidedBy(d.execution) }, w.options),
  MemberAdmitted: (d, w) =>
    m.audit_says_member_admitted(
      { member: w.org(d.organizationId, d.name), ...admission(d.basis, w) },
      w.options,
    ),
  MemberDeparted: (d, w) =>
    m.audit_says_member_departed(
      { member: w.org(d.organizationId), proposal: w.decidedBy(d.execution) },
      w.options,
    ),
  RepresentativeInvited: (d, w) =>
    m.audit_says_representative_invited(
      { confirmed: d.confirmed ? 'yes' : 'no', ...representative(d, w) },
      w.options,
    ),
  RepresentativeJoined: (d, w) => m.audit_says_representative_joined(representative(d, w), w.options),
  RepresentativeConfirmed: (d, w) => m.audit_says_representative_confirmed(representative(d, w), w.options),
  RepresentativeAppointed: (d, w) =>
    m.audit_says_representative_appointed({ ...representative(d, w), ...admission(d.basis, w) }, w.options),
  RepresentativeRemoved: (d, w) => m.audit_says_representative_removed(representative(d, w), w.options),
  MemberProfileUpdated: (d, w) =>
    m.audit_says_member_profile_updated({ member: w.org(d.organizationId) }, w.options),
  WitnessKeyRegistered: (d, w) =>
    m.audit_says_witness_key_registered(
      { member: w.org(d.organizationId), key: w.code(d.keyName) },
      w.options,
    ),
  WitnessKeyRevoked: (d, w) =>
    m.audit_says_witness_key_revoked({ member: w.org(d.organizationId), key: w.code(d.keyName) }, w.options),
  WorkingGroupCreated: (d, w) =>
    m.audit_says_working_group_created(
      { group: w.group(d.groupId, d.name), proposal: w.decidedBy(d.execution) },
      w.options,
    ),
  WorkingGroupMandateSet: (d, w) => m.audit_says_working_group_mandate_set(groupDecision(d, w), w.options),
  WorkingGroupLeadsSet: (d, w) =>
    m.audit_says_working_group_leads_set(
      {
        count: d.leadOrganizationIds.length,
        leads: w.orgs(d.leadOrganizationIds),
        ...groupDecision(d, w),
      },
      w.options,
    ),
  WorkingGroupDissolved: (d, w) => m.audit_says_working_group_dissolved(groupDecision(d, w), w.options),
  WorkingGroupJoined: (d, w) =>
    m.audit_says_working_group_joined({ hours: d.hoursPerMonth, ...groupMember(d, w) }, w.options),
  WorkingGroupLeft: (d, w) => m.audit_says_working_group_left(groupMember(d, w), w.options),
  TimeCommitted: (d, w) =>
    m.audit_says_time_committed({ hours: d.hoursPerMonth, ...groupMember(d, w) }, w.options),
  BudgetOpened: (d, w) =>
    m.audit_says_budget_opened(
      {
        budget: w.budget(d.budgetId, d.name),
        currency: w.code(d.currency),
        start: w.day(d.fiscalPeriod.start),
        end: w.day(d.fiscalPeriod.end),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  BudgetLineCreated: (d, w) =>
    m.audit_says_budget_line_created(
      {
        line: isolate(w.context.names.lines[d.lineId] ?? d.name),
        amount: w.money(d.allocated, d),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  BudgetLineAllocationChanged: (d, w) =>
    m.audit_says_budget_line_allocation_changed(
      {
        direction: d.delta >= 0 ? 'raised' : 'lowered',
        line: w.line(d.lineId),
        amount: w.money(Math.abs(d.delta), d),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  BudgetLineSpent: (d, w) =>
    m.audit_says_budget_line_spent(
      {
        paid: d.payeeOrganizationId ? 'yes' : 'no',
        amount: w.money(d.amount, d),
        line: w.line(d.lineId),
        payee: d.payeeOrganizationId ? w.org(d.payeeOrganizationId) : '',
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  GrantFundsCommitted: (d, w) =>
    m.audit_says_grant_funds_committed(
      {
        amount: w.money(d.amount, d),
        line: w.line(d.lineId),
        member: w.org(d.recipientOrganizationId),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  GrantFundsDisbursed: (d, w) =>
    m.audit_says_grant_funds_disbursed(
      {
        amount: w.money(d.amount, d),
        call: w.call(d.grantCallId),
        line: w.line(d.lineId),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  BudgetLineStewardshipChanged: (d, w) =>
    m.audit_says_budget_line_stewardship_changed(
      {
        steward: d.stewardGroupId ? 'group' : 'coalition',
        line: w.line(d.lineId),
        group: d.stewardGroupId ? w.group(d.stewardGroupId) : '',
        partners: w.orgs(d.partnerOrganizationIds),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  BudgetQuestionRaised: (d, w) =>
    m.audit_says_budget_question_raised(
      { member: w.org(d.organizationId), line: w.line(d.lineId) },
      w.options,
    ),
  BudgetQuestionAnswered: (d, w) => m.audit_says_budget_question_answered(budgetMember(d, w), w.options),
  ExpenseSubmitted: (d, w) =>
    m.audit_says_expense_submitted(
      {
        member: w.org(d.organizationId),
        amount: w.money(d.amount, d),
        line: w.line(d.lineId),
        group: w.group(d.approverGroupId),
        approvals: w.count(d.approvalsNeeded),
      },
      w.options,
    ),
  ExpenseApproved: (d, w) => m.audit_says_expense_approved(budgetMember(d, w), w.options),
  ExpenseSpent: (d, w) =>
    m.audit_says_expense_spent({ amount: w.money(d.amount, d), line: w.line(d.lineId) }, w.options),
  ExpenseRejected: (d, w) =>
    m.audit_says_expense_rejected({ ...budgetMember(d, w), reason: w.title(d.reason) }, w.options),
  ExpenseWithdrawn: (d, w) => m.audit_says_expense_withdrawn(budgetMember(d, w), w.options),
  ExpensePaid: (d, w) =>
    m.audit_says_expense_paid({ ...budgetMember(d, w), reference: w.code(d.reference) }, w.options),
  GrantCallPublished: (d, w) =>
    m.audit_says_grant_call_published(
      { call: w.call(d.grantCallId, d.title), line: w.line(d.lineId), deadline: w.when(d.deadline) },
      w.options,
    ),
  GrantApplicationSubmitted: (d, w) =>
    m.audit_says_grant_application_submitted(
      {
        applicant: w.org(d.applicantOrganizationId, d.applicantName),
        call: w.call(d.grantCallId),
        amount: w.money(d.amountRequested, d),
      },
      w.options,
    ),
  GrantApplicationReviewed: (d, w) =>
    m.audit_says_grant_application_reviewed(
      {
        member: w.org(d.reviewerOrganizationId),
        call: w.call(d.grantCallId),
        recommendation: recommendationLabel(d.recommendation, w.options),
      },
      w.options,
    ),
  GrantAwarded: (d, w) => m.audit_says_grant_awarded(grantAmount(d, w), w.options),
  GrantDisbursed: (d, w) => m.audit_says_grant_disbursed(grantAmount(d, w), w.options),
  ProposalDrafted: (d, w) =>
    m.audit_says_proposal_drafted(
      {
        author: d.proposer.organizationId ? w.org(d.proposer.organizationId) : w.person(d.proposer.personId),
        proposal: w.title(d.title),
      },
      w.options,
    ),
  ProposalAmended: (d, w) =>
    m.audit_says_proposal_amended({ proposal: w.title(d.title), revision: w.count(d.revision) }, w.options),
  ProposalOpened: (d, w) => {
    const body = d.routing.decidingBody;
    return m.audit_says_proposal_opened(
      {
        body: body.type === 'workingGroup' ? 'group' : 'coalition',
        proposal: w.proposal(d.proposalId),
        until: w.when(d.feedbackEndsAt),
        group: body.type === 'workingGroup' ? w.group(body.groupId) : '',
      },
      w.options,
    );
  },
  ProposalCommented: (d, w) =>
    m.audit_says_proposal_commented(
      {
        author: d.organizationId ? w.org(d.organizationId) : w.person(d.personId),
        proposal: w.proposal(d.proposalId),
      },
      w.options,
    ),
  TranslationAdded: (d, w) =>
    m.audit_says_translation_added(
      {
        item: d.item.kind,
        member: w.org(d.organizationId),
        proposal: w.proposal(d.proposalId),
        language: w.language(d.language),
      },
      w.options,
    ),
  StanceTaken: (d, w) =>
    m.audit_says_stance_taken(
      {
        member: w.org(d.organizationId),
        stance: stanceLabel(d.stance, w.options),
        proposal: w.proposal(d.proposalId),
      },
      w.options,
    ),
  ProposalWithdrawn: (d, w) =>
    m.audit_says_proposal_withdrawn({ proposal: w.proposal(d.proposalId) }, w.options),
  ProposalDecisionScheduled: (d, w) =>
    m.audit_says_proposal_decision_scheduled(
      { proposal: w.proposal(d.proposalId), when: w.when(d.scheduledFor) },
      w.options,
    ),
  UndecidedReminded: (d, w) =>
    m.audit_says_undecided_reminded(
      { proposal: w.proposal(d.proposalId), members: w.orgs(d.organizationIds) },
      w.options,
    ),
  ProposalSecondRoundStarted: (d, w) =>
    m.audit_says_proposal_second_round_started(
      { proposal: w.proposal(d.proposalId), until: w.when(d.feedbackEndsAt) },
      w.options,
    ),
  ProposalDecided: (d, w) =>
    m.audit_says_proposal_decided(
      {
        eligible: d.tally.eligible,
        proposal: w.proposal(d.proposalId),
        counted: w.count(d.tally.counted),
        outcome: outcomeLabel(d.outcome, d.reason, w.options),
      },
      w.options,
    ),
  ProposalExecuted: (d, w) =>
    m.audit_says_proposal_executed({ proposal: w.proposal(d.proposalId) }, w.options),
  ProposalExecutionFailed: (d, w) =>
    m.audit_says_proposal_execution_failed({ proposal: w.proposal(d.proposalId) }, w.options),
  PersonForgotten: (d, w) => m.audit_says_person_forgotten({ on: d.on }, w.options),
  HistoryRewritten: (d, w) => m.audit_says_history_rewritten({ count: d.rewritten.length }, w.options),
  LogKeyPublished: (d, w) =>
    m.audit_says_log_key_published(
      { replaces: d.replaces ? 'yes' : 'no', key: w.code(d.keyName) },
      w.options,
    ),
  PartnershipEstablished: (d, w) =>
    m.audit_says_partnership_established(
      {
        title: w.title(d.title),
        partners: w.all(d.partners.map((partner) => w.org(partner.organizationId, partner.name))),
        proposal: w.decidedBy(d.execution),
      },
      w.options,
    ),
  PartnershipAgreementChanged: (d, w) =>
    m.audit_says_partnership_agreement_changed({ proposal: w.decidedBy(d.execution) }, w.options),
  PartnerContactInvited: (d, w) => m.audit_says_partner_contact_invited(partnerContact(d, w), w.options),
  PartnerContactJoined: (d, w) => m.audit_says_partner_contact_joined(partnerContact(d, w), w.options),
  PartnerContactRemoved: (d, w) => m.audit_says_partner_contact_removed(partnerContact(d, w), w.options),
  CheckInRoundOpened: (d, w) => m.audit_says_check_in_round_opened({ closes: w.when(d.closesAt) }, w.options),
  CheckInAnswered: (d, w) => m.audit_says_check_in_answered({ member: w.org(d.organizationId) }, w.options),
  CheckInRoundClosed: (_d, w) => m.audit_says_check_in_round_closed({}, w.options),
  PartnershipActionProposed: (d, w) =>
    m.audit_says_partnership_action_proposed(
      { member: w.org(d.organizationId), due: w.day(d.dueDate) },
      w.options,
    ),
  PartnershipActionAgreedTo: (d, w) =>
    m.audit_says_partnership_action_agreed_to({ member: w.org(d.organizationId) }, w.options),
  PartnershipActionAgreed: (_d, w) => m.audit_says_partnership_action_agreed({}, w.options),
  PartnershipActionFollowedUp: (d, w) =>
    m.audit_says_partnership_action_followed_up({ member: w.org(d.organizationId) }, w.options),
  ReflectionRecorded: (d, w) =>
    m.audit_says_reflection_recorded({ member: w.org(d.organizationId) }, w.options),
};

/**
 * The sentence for an audit entry, or null when there is none to make: an entry projected before the
 * events' data was kept (until the read models are rebuilt), a type this portal does not know, or data
 * not of the shape it expects. The page then shows the English summary as recorded.
 */
export function auditSentence(
  type: string,
  data: Record<string, unknown> | null | undefined,
  context: SentenceContext,
): string | null {
  if (!data || !Object.hasOwn(auditSentences, type)) return null;
  const sentence = auditSentences[type as EventType] as (data: unknown, w: Words) => string;
  try {
    return sentence(data, new Words(context));
  } catch {
    return null;
  }
}
