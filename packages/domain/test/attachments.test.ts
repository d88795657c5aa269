import { describe, expect, it } from 'vitest';
import { citedAttachments, type EventType, readableAsStored, upcast } from '../src/index.ts';
import { smallGrantsIncrease } from './support/coalition.ts';
import { rules } from './support/fixtures.ts';

const at = '2026-12-03T10:00:00.000Z';
const pdf = { sha256: 'b'.repeat(64), mediaType: 'application/pdf', size: 2_048 };

// Stored events written before their type carried documents: they must still be read, as citing none.
const before = {
  ProposalDrafted: {
    proposalId: 'p1',
    title: 'More for grants',
    body: 'Demand is high.',
    payload: smallGrantsIncrease,
    proposer: { personId: 'amal', organizationId: 'o1' },
    at,
  },
  ProposalCommented: {
    proposalId: 'p1',
    commentId: 'c1',
    text: 'Which RLOs benefit?',
    personId: 'noor',
    organizationId: 'o2',
    at,
  },
  GrantApplicationSubmitted: {
    grantCallId: 'g1',
    applicationId: 'a1',
    applicantOrganizationId: 'o9',
    applicantName: 'RLO Nine',
    amountRequested: 1_000,
    summary: 'Legal aid',
    submittedBy: 'f1',
    at,
  },
  GrantApplicationReviewed: {
    grantCallId: 'g1',
    applicationId: 'a1',
    reviewerOrganizationId: 'o2',
    reviewerPersonId: 'noor',
    recommendation: 'fund',
    assessment: 'Strong',
    at,
  },
} as const;

describe('attachments on records', () => {
  it.each(Object.entries(before))('reads a stored %s without attachments as citing none', (type, data) => {
    const event = upcast(type, 1, data);
    expect((event.data as { attachments?: unknown }).attachments).toEqual([]);
    expect(citedAttachments(event)).toEqual([]);
  });

  it('has bulk readers read such types through the schema, never as stored', () => {
    for (const type of Object.keys(before)) expect(readableAsStored(type as EventType)).toBe(false);
    // A default nested in the decision rules counts as well; a type with none is taken as stored.
    expect(readableAsStored('CoalitionFounded')).toBe(false);
    expect(readableAsStored('StanceTaken')).toBe(true);
  });

  it('takes an event as stored when it has every field with a default, at any depth', () => {
    const { data } = upcast('ProposalCommented', 1, before.ProposalCommented);
    expect(readableAsStored('ProposalCommented', data)).toBe(true);
    expect(readableAsStored('ProposalCommented', before.ProposalCommented)).toBe(false);
    // A document stored before it could be marked restricted: the schema marks it, in a list.
    const unmarked = { ...before.ProposalCommented, attachments: [pdf] };
    expect(readableAsStored('ProposalCommented', unmarked)).toBe(false);
    expect(readableAsStored('ProposalCommented', upcast('ProposalCommented', 1, unmarked).data)).toBe(true);
    // A default in a shared definition (the decision rules), reached through a reference.
    const founded = {
      coalitionName: 'Coalition',
      rules,
      sharedValues: [],
      sops: [],
      foundingMembers: [{ organizationId: 'o1', name: 'Org One', representativeIds: [] }],
      at,
    };
    expect(upcast('CoalitionFounded', 1, founded).data).toEqual(founded);
    expect(readableAsStored('CoalitionFounded', founded)).toBe(true);
    const { decideWhenAllHaveSpoken: _left, ...olderRules } = rules;
    expect(readableAsStored('CoalitionFounded', { ...founded, rules: olderRules })).toBe(false);
  });

  it('reads a stored receipt without the restricted mark as unrestricted', () => {
    const event = upcast('ProposalCommented', 1, { ...before.ProposalCommented, attachments: [pdf] });
    expect(citedAttachments(event)).toEqual([{ ...pdf, restricted: false }]);
  });

  it('finds the documents a command cites, each once, and none where a type cites none', () => {
    const restricted = { ...pdf, restricted: true };
    expect(citedAttachments({ type: 'SubmitExpense', receipts: [restricted, restricted] })).toEqual([
      restricted,
    ]);
    expect(citedAttachments({ type: 'CommentOnProposal', attachments: [pdf] })).toEqual([
      { ...pdf, restricted: false },
    ]);
    expect(citedAttachments({ type: 'TakeStance', attachments: [pdf] })).toEqual([]);
  });

  it('refuses more than ten documents on one record', () => {
    const many = Array.from({ length: 11 }, (_, index) => ({
      ...pdf,
      sha256: index.toString(16).padStart(64, '0'),
    }));
    expect(() =>
      upcast('ProposalCommented', 1, { ...before.ProposalCommented, attachments: many }),
    ).toThrow();
  });
});
