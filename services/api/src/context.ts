import type { EventStore } from '@concord/event-store';
import type { Kysely } from 'kysely';
import type { EffectWatch } from './audit/effects.ts';
import type { AuthService, Principal } from './auth/service.ts';
import type { Facts } from './commands/context.ts';
import type { CommandBus } from './commands/handle.ts';
import type { StreamStates } from './commands/streams.ts';
import type { ApiDb } from './db.ts';
import type { MailOutbox } from './mail-outbox.ts';
import type { Metrics } from './metrics.ts';
import type { ReplayChecks } from './queries/replay.ts';
import type { ReadSide } from './read-side.ts';

/** Everything the routes and plugins share, decorated on the server as `app.concord`. */
export interface Concord {
  store: EventStore;
  /** The one Kysely instance on the one database (PGlite or PostgreSQL). */
  db: Kysely<unknown>;
  apiDb: ApiDb;
  streams: StreamStates;
  facts: Facts;
  bus: CommandBus;
  auth: AuthService;
  /** Mail waiting to leave (password resets), sent in the background. */
  outbox: MailOutbox;
  metrics: Metrics;
  clock: () => Date;
  /** Read models and the projector feeding them; null until a read side is wired. */
  readSide: ReadSide | null;
  /** Replay checks over the API; null where no projector runs (they compare with its read models). */
  replays?: ReplayChecks | null;
  /** The effect check beside the projector; null where no projector runs. */
  effects?: EffectWatch | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    concord: Concord;
  }
  interface FastifyRequest {
    /** The signed-in person, resolved from the session cookie (null when anonymous). */
    principal: Principal | null;
    correlationId: string;
  }
}
