/** A same-site path to return to after a form, or `/`: never another origin (no open redirect). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return fallback;
  }
  try {
    const url = new URL(value, 'http://concord.invalid');
    if (url.origin !== 'http://concord.invalid') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

export interface NavItem {
  href: string;
  /** Which label: translated by the root layout's server load. */
  key:
    | 'dashboard'
    | 'proposals'
    | 'budget'
    | 'working_groups'
    | 'members'
    | 'grants'
    | 'partnerships'
    | 'charter'
    | 'audit';
}

export const navItems: readonly NavItem[] = [
  { href: '/', key: 'dashboard' },
  { href: '/proposals', key: 'proposals' },
  { href: '/budget', key: 'budget' },
  { href: '/working-groups', key: 'working_groups' },
  { href: '/members', key: 'members' },
  { href: '/grants', key: 'grants' },
  { href: '/partnerships', key: 'partnerships' },
  { href: '/charter', key: 'charter' },
  { href: '/audit', key: 'audit' },
];

export function isCurrent(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The pages a partner's person may open (ADR 0027): their partnerships, their notifications, their account. */
export function partnerMayOpen(pathname: string): boolean {
  return (
    isCurrent('/partnerships', pathname) ||
    ['/notifications', '/account', '/account/sessions', '/account/notifications'].includes(pathname)
  );
}
