// Shapes shared by server code and pages (type-only: nothing here reaches the browser).
import type { ResponseOf, routes } from '@concord/contracts';

/** A proposal as the API shows it, and what it does once adopted. */
export type ProposalView = ResponseOf<(typeof routes)['proposal']>;
export type PayloadView = ProposalView['payload'];

/** Who would decide a proposal and why, and who would be recused (see $lib/server/routing). */
export interface RoutingPreviewData {
  routing: {
    decidingBody: { type: 'coalition' } | { type: 'workingGroup'; groupId: string };
    reason: string;
    lineId: string | null;
  };
  recusals: { organizationId: string; reason: string }[];
}
