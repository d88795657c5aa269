import type { ReadModels } from '@concord/projections';
import type { CalendarEntry } from './ics.ts';

/** Whose bodies a calendar covers: a representative's organization's, or everything for the staff. */
export type CalendarScope = { all: true } | { all: false; organizationId: string };

/**
 * The dates of a person's calendar, computed now from the read models: every open proposal whose
 * deciding body counts their organization (a facilitator or an auditor: every open proposal), with its
 * feedback deadline and, once scheduled, its decision. Nothing of a body the person is not in.
 */
export async function calendarEntries(models: ReadModels, scope: CalendarScope): Promise<CalendarEntry[]> {
  const open = await models.proposals({ status: 'open', limit: 1000 });
  const entries: CalendarEntry[] = [];
  for (const summary of open) {
    const proposal = await models.proposal(summary.proposalId);
    if (!proposal) continue;
    if (!scope.all && !proposal.memberIds.includes(scope.organizationId)) continue;
    const { proposalId, title } = proposal;
    if (proposal.feedbackEndsAt) {
      entries.push({ kind: 'feedbackEnds', proposalId, title, at: new Date(proposal.feedbackEndsAt) });
    }
    if (proposal.scheduledFor) {
      entries.push({ kind: 'decision', proposalId, title, at: new Date(proposal.scheduledFor) });
    }
  }
  return entries;
}
