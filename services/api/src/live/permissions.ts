import type { AuditEntry, ViewChange } from '@concord/projections';
import type { Principal } from '../auth/service.ts';

/**
 * The one rule of what a person may read on the live feed. Today "everyone can see everything": every
 * signed-in person with a role in the coalition (a representative of a member organization, a
 * facilitator, an auditor) reads every entry and every change, as the `reader` routes do. Nobody else
 * reads anything: not the anonymous, not a person without a role, not a revoked session (its socket is
 * closed). A finer rule (e.g. confidential items) goes here, and only here: the feed asks it for every
 * entry and every change it sends to every socket.
 */
export function mayRead(principal: Principal | null, _item: AuditEntry | ViewChange): boolean {
  return mayListen(principal);
}

/**
 * Whether a principal may hold a live socket at all (the route's `reader` access). A partner's person
 * may not: the feed carries the coalition's whole life, and their partnership page is read on request.
 */
export function mayListen(principal: Principal | null): principal is Principal {
  return principal !== null && principal.role !== 'none' && principal.role !== 'partner';
}
