import { describe, expect, it } from 'vitest';
import { citedAttachments, type EventType, readableAsStored, upcast } from '../src/index.ts';
import { smallGrantsIncrease } from './support/coalition.ts';

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
