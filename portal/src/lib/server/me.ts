// The signed-in person as the API describes them (`GET /api/auth/me`).

export type Role = 'representative' | 'facilitator' | 'auditor' | 'none';

export interface SignedInPerson {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The member organization a representative acts for. */
  organizationId: string | null;
  /** Its name, once the portal reads the members (until then null, and the header shows the person only). */
  organizationName: string | null;
}

const roles = new Set<string>(['representative', 'facilitator', 'auditor', 'none']);

/**
 * Reads the body of `GET /api/auth/me`: @concord/contracts' `Me`
 * `{ personId, email, name, role, organizationId, sessionId }`.
 * TODO(wiring): replace with `meSchema.safeParse` once the portal depends on @concord/contracts.
 */
export function parseMe(body: unknown): SignedInPerson | null {
  if (!body || typeof body !== 'object') return null;
  const { personId, email, name, role, organizationId } = body as Record<string, unknown>;
  if (typeof personId !== 'string' || typeof name !== 'string' || typeof email !== 'string') return null;
  return {
    id: personId,
    name: name || email,
    email,
    role: typeof role === 'string' && roles.has(role) ? (role as Role) : 'none',
    organizationId: typeof organizationId === 'string' ? organizationId : null,
    organizationName: null,
  };
}
