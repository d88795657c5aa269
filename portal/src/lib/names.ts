// Ids to names, for pages (client-safe: plain records from the page data).

export interface Directory {
  organizations: Record<string, string>;
  groups: Record<string, string>;
}

export function organizationName(directory: Directory, id: string | null | undefined): string {
  if (!id) return '';
  return directory.organizations[id] ?? id;
}

export function groupName(directory: Directory, id: string | null | undefined): string {
  if (!id) return '';
  return directory.groups[id] ?? id;
}
