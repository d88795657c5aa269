import type { AuditEntry } from '@concord/projections';

/** An audit entry of an organisation consenting to proposal `p`, at `position`; `overrides` replace fields. */
export function stanceTakenEntry(position: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    position,
    eventId: `event-${position}`,
    streamId: 'proposal-p',
    streamPosition: position,
    type: 'StanceTaken',
    recordedAt: '2025-03-01T00:00:00.000Z',
    occurredAt: '2025-03-01T00:00:00.000Z',
    actor: { personId: 'person', organizationId: 'org', role: 'representative' },
    organizationId: 'org',
    body: { type: 'coalition' },
    proposalId: 'p',
    budgetId: null,
    lineId: null,
    groupId: null,
    grantCallId: null,
    summary: `entry ${position}`,
    hash: 'h',
    data: { proposalId: 'p', organizationId: 'org', stance: 'consent', reason: null },
    ...overrides,
  };
}
