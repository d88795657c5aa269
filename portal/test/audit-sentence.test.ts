// The audit trail's sentences: one for every event type of the domain (a new type fails here until it has
// one), made from the event's data with names for ids, the portal's money and times in the reader's zone.
import { domainEventSchema, eventSchemaVersions } from '@concord/domain';
import { describe, expect, test } from 'vitest';
import { type AuditNames, auditSentence, auditSentences } from '../src/lib/audit-sentence.ts';

const names: AuditNames = {
  organizations: { 'org-cedar': 'Cedar Collective', 'org-nile': 'Nile Bridges', 'org-viva': 'Frontera Viva' },
  groups: { 'group-food': 'Food security' },
  people: { 'person-amal': 'Amal Haddad' },
  proposals: { 'proposal-1': 'Winter kitchens' },
  lines: { 'line-food': 'Food', 'line-rent': 'Rent' },
  budgets: { 'budget-2026': { name: 'Budget 2026', currency: 'USD' } },
  grantCalls: { 'call-1': { title: 'Small grants', budgetId: 'budget-2026' } },
  currency: 'USD',
};
const execution = { proposalId: 'proposal-1', decisionEventId: 'decision-1' };
const at = '2026-12-02T09:30:00.000Z';
const say = (
  type: string,
  data: Record<string, unknown>,
  locale: 'en' | 'es' | 'fr' | 'ar' = 'en',
  timeZone = 'UTC',
) => auditSentence(type, data, { locale, timeZone, names });
/** Without the Unicode isolates around names, money and times (they are checked once, below). */
const plain = (text: string | null) => text?.replace(/[\u2066-\u2069]/g, '') ?? null;

const moved = {
  lineId: 'line-food',
  delta: -125_000,
  budgetId: 'budget-2026',
  execution,
  decidedByGroupId: null,
  at,
};
const stance = {
  proposalId: 'proposal-1',
  organizationId: 'org-cedar',
  personId: 'person-amal',
  stance: 'standAside',
  reason: null,
  revision: 1,
  round: 1,
  at,
};

describe('audit sentences', () => {
  test('every event type of the domain has a sentence, and nothing else does', () => {
    const domainTypes = domainEventSchema.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(eventSchemaVersions).sort()).toEqual(domainTypes);
    expect(Object.keys(auditSentences).sort()).toEqual(domainTypes);
  });

  test('money moved between lines, in English and Arabic, with names for ids', () => {
    expect(plain(say('BudgetLineAllocationChanged', moved))).toBe(
      'Allocation of Food lowered by $1,250.00; decided by “Winter kitchens”',
    );
    expect(plain(say('BudgetLineAllocationChanged', { ...moved, lineId: 'line-rent', delta: 500 }))).toBe(
      'Allocation of Rent raised by $5.00; decided by “Winter kitchens”',
    );
    const arabic = say('BudgetLineAllocationChanged', moved, 'ar');
    expect(plain(arabic)).toBe(
      `خُفّض مخصص البند Food بمبلغ ${plain(formatted(125_000, 'ar'))}؛ بموجب المقترح «Winter kitchens»`,
    );
    // Latin names and the amount are isolated inside the right-to-left sentence.
    expect(arabic).toContain('\u2068Food\u2069');
    expect(arabic).toContain('\u2068Winter kitchens\u2069');
  });

  test('a stance with its label, and a decision with its outcome and plural forms', () => {
    expect(plain(say('StanceTaken', stance))).toBe(
      'Cedar Collective chose “Stand aside” on “Winter kitchens”',
    );
    expect(plain(say('StanceTaken', stance, 'ar'))).toBe(
      'اختارت المنظمة Cedar Collective موقف «الوقوف جانبًا» من المقترح «Winter kitchens»',
    );
    const decided = {
      proposalId: 'proposal-1',
      outcome: 'notAdopted',
      reason: 'blocked',
      tally: {
        eligible: 6,
        quorumRequired: 4,
        counted: 5,
        consent: 4,
        concerns: 0,
        standAside: 0,
        block: 1,
        needsReview: 0,
      },
      decidingBody: { type: 'coalition' },
      revision: 1,
      payload: { kind: 'charterChange', adoptSops: [], retireSopIds: [] },
      at,
    };
    expect(plain(say('ProposalDecided', decided))).toBe(
      '“Winter kitchens” decided with 5 of 6 organizations counted. Not adopted: at least one organization blocks it.',
    );
    expect(
      plain(say('ProposalDecided', { ...decided, tally: { ...decided.tally, eligible: 1, counted: 1 } })),
    ).toBe(
      '“Winter kitchens” decided with 1 of 1 organization counted. Not adopted: at least one organization blocks it.',
    );
    expect(
      plain(
        say('ProposalDecided', { ...decided, tally: { ...decided.tally, eligible: 2, counted: 2 } }, 'ar'),
      ),
    ).toBe(
      `صدر القرار في المقترح «Winter kitchens» واحتُسب ${new Intl.NumberFormat('ar').format(2)} من أصل منظمتين (2). غير معتمد: منظمة واحدة على الأقل تعترض عليه اعتراضًا مانعًا.`,
    );
  });

  test('times in the reader’s zone, people by name, and neutral words for what the page does not know', () => {
    const scheduled = {
      proposalId: 'proposal-1',
      scheduledFor: at,
      scheduledBy: 'person-amal',
      reason: null,
      at,
    };
    expect(plain(say('ProposalDecisionScheduled', scheduled, 'en', 'Asia/Tokyo'))).toBe(
      'Decision on “Winter kitchens” scheduled for Dec 2, 2026, 6:30 PM',
    );
    const joined = { organizationId: 'org-nile', personId: 'person-amal', at };
    expect(plain(say('RepresentativeJoined', joined))).toBe('Amal Haddad accepted to represent Nile Bridges');
    expect(plain(say('RepresentativeJoined', { ...joined, personId: 'person-forgotten' }))).toBe(
      'someone accepted to represent Nile Bridges',
    );
    expect(plain(say('StanceTaken', { ...stance, organizationId: 'org-outside' }))).toBe(
      'an organization chose “Stand aside” on “Winter kitchens”',
    );
    expect(
      plain(say('ProposalWithdrawn', { proposalId: 'proposal-9', reason: 'x', withdrawnBy: 'p', at })),
    ).toBe('a proposal was withdrawn');
    const hours = {
      groupId: 'group-food',
      organizationId: 'org-viva',
      personId: 'person-amal',
      reason: null,
      at,
    };
    expect(plain(say('WorkingGroupJoined', { ...hours, hoursPerMonth: 1 }))).toBe(
      'Frontera Viva joined working group Food security, committing 1 hour a month',
    );
    expect(plain(say('TimeCommitted', { ...hours, hoursPerMonth: 12 }, 'es'))).toBe(
      'Frontera Viva dedica ahora 12 horas al mes al grupo de trabajo Food security',
    );
  });

  test('no sentence without data (rows projected before it was kept) or for data of another shape', () => {
    expect(say('StanceTaken', null as never)).toBeNull();
    expect(say('SomethingNew', { a: 1 })).toBeNull();
    expect(say('ProposalDecided', { proposalId: 'proposal-1' })).toBeNull();
  });
});

function formatted(amount: number, locale: string) {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
  }).format(amount / 100);
}
