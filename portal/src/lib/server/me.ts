// The signed-in person as the API describes them (`GET /api/auth/me`, contracts' `Me`).
import { meSchema, type Role } from '@concord/contracts';

export type { Role } from '@concord/contracts';

export interface SignedInPerson {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The member organization a representative acts for. */
  organizationId: string | null;
  /** Its name, filled in by the (app) layout from the members list (null on public pages). */
  organizationName: string | null;
  /** This browser's session, so "my sessions" can mark it. */
  sessionId: string;
  /** Without a role, having accepted an invitation: the organization that must confirm them. */
  awaitingConfirmationBy: { organizationId: string; name: string } | null;
}

/** Reads the body of `GET /api/auth/me` with the contracts' schema; null when it isn't a `Me`. */
export function parseMe(body: unknown): SignedInPerson | null {
  const parsed = meSchema.safeParse(body);
  if (!parsed.success) return null;
  const { personId, email, name, role, organizationId, sessionId, awaitingConfirmationBy } = parsed.data;
  return {
    id: personId,
    name: name || email,
    email,
    role,
    organizationId,
    organizationName: null,
    sessionId,
    awaitingConfirmationBy,
  };
}
