// Shapes shared by server code and pages (type-only: nothing here reaches the browser).

/** Who would decide a proposal and why, and who would be recused (see $lib/server/routing). */
export interface RoutingPreviewData {
  routing: {
    decidingBody: { type: 'coalition' } | { type: 'workingGroup'; groupId: string };
    reason: string;
    lineId: string | null;
  };
  recusals: { organizationId: string; reason: string }[];
}
