import type { Principal } from './auth/service.ts';

// What every request carries. What the server provides is declared by the plugin that provides it
// (plugins/foundation.ts, commands/plugin.ts, auth/accounts-plugin.ts, plugins/read-side.ts …).
declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, resolved from the session cookie (null when anonymous). */
    principal: Principal | null;
    /** Whether the session's lookup took the request's `Idempotency-Key` (ADR 0043), not yet used. */
    idempotencyClaimed: boolean;
    correlationId: string;
  }
}
