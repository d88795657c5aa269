/** The stream each aggregate instance lives in. The charter is a singleton. */
export const streamIdFor = {
  charter: (): string => 'charter',
  member: (organizationId: string): string => `member-${organizationId}`,
  workingGroup: (groupId: string): string => `workinggroup-${groupId}`,
  budget: (budgetId: string): string => `budget-${budgetId}`,
  grantCall: (grantCallId: string): string => `grantcall-${grantCallId}`,
  proposal: (proposalId: string): string => `proposal-${proposalId}`,
  person: (personId: string): string => `person-${personId}`,
  history: (): string => 'history',
  log: (): string => 'log',
  partnership: (partnershipId: string): string => `partnership-${partnershipId}`,
} as const;

/** The name of an aggregate kind, as used by `streamIdFor` and `deciders`. */
export type AggregateName = keyof typeof streamIdFor;
