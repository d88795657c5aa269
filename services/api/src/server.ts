import { randomUUID } from 'node:crypto';
import type { EventStore } from '@concord/event-store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { attachmentsPlugin } from './attachments/plugin.ts';
import { attachmentRoutes } from './attachments/routes.ts';
import { accountsPlugin } from './auth/accounts-plugin.ts';
import { FORWARDING_HEADER, type PortalForwarding, portalForwarding } from './auth/client-address.ts';
import {
  authPlugin,
  defaultResetLimits,
  defaultSignInLimits,
  type ResetLimits,
  type SignInLimits,
} from './auth/plugin.ts';
import { newSecret, type PasswordCost } from './auth/secrets.ts';
import { calendarPlugin } from './calendar/plugin.ts';
import { commandsPlugin } from './commands/plugin.ts';
import { commandRoutes } from './commands/routes.ts';
import type { LiveOptions } from './live/feed.ts';
import { livePlugin } from './live/plugin.ts';
import type { Mailer } from './mail.ts';
import { notificationsPlugin } from './notifications/plugin.ts';
import type { NotificationsOptions } from './notifications/service.ts';
import { type BackupSchedule, backupPlugin } from './plugins/backup.ts';
import { docsPlugin } from './plugins/docs.ts';
import { foundationPlugin } from './plugins/foundation.ts';
import { observabilityPlugin } from './plugins/observability.ts';
import { problemsPlugin, sendProblem, toProblem } from './plugins/problems.ts';
import { readSidePlugin } from './plugins/read-side.ts';
import { API_CSP, securityPlugin } from './plugins/security.ts';
import { processesPlugin } from './process/plugin.ts';
import { queryRoutes } from './queries/routes.ts';
import type { ReadSide } from './read-side.ts';
import { witnessedLogPlugin } from './transparency/plugin.ts';
import { logRoutes } from './transparency/routes.ts';
import type { WitnessedLogOptions } from './transparency/witnessed-log.ts';
// What every request carries (the principal, the correlation id).
import './context.ts';

export interface ServerDependencies {
  /** The event store: PostgreSQL (usually in `db`), PGlite or EventStoreDB/KurrentDB. */
  store: EventStore;
  /** The database of the read models and the API's own tables. */
  db: Kysely<unknown>;
  logLevel?: string;
  /** A logger instance (tests pass a silent one). */
  logger?: FastifyBaseLogger | false;
  clock?: () => Date;
  mailer?: Mailer;
  passwordCost?: PasswordCost;
  /** Where people reach Concord: links in mails and the set-up link point there. */
  publicUrl?: string;
  /** Failed sign-ins allowed per account and per client address, with back-off (defaults in auth/plugin.ts). */
  signInLimits?: SignInLimits;
  /** Password-reset requests allowed per e-mail address and per client address. */
  resetLimits?: ResetLimits;
  /** Run the process steps (decision execution, scheduled decisions) in this process. */
  processSteps?: boolean;
  schedulerIntervalMs?: number;
  /** The read models: `embedded` (default) runs the projector here on `db`; null serves no queries. */
  readSide?: ReadSide | 'embedded' | null;
  /**
   * With the embedded read side: run the projector in this process (default). Off on every instance but
   * one when the read models live in a shared PostgreSQL; those follow the projector's checkpoint.
   */
  projector?: boolean;
  /** The live feed's limits and timers (tests shorten them). */
  live?: Partial<LiveOptions>;
  bodyLimit?: number;
  /** Proxies whose X-Forwarded-* headers are believed: true, or addresses/subnets (`loopback`, CIDRs). */
  trustProxy?: boolean | string | string[];
  sessionTtlMs?: number;
  /** Scheduled backups (`BACKUP_DIR`, `BACKUP_EVERY`, `BACKUP_KEEP`); none by default. */
  backups?: BackupSchedule;
  /**
   * The witnessed log (ADR 0009): the instance key and how checkpoints are signed. `main.ts` always gives
   * one; without it the log routes answer 503 LOG_NOT_RUNNING (most tests need no log).
   */
  transparency?: WitnessedLogOptions | null;
  /** The largest document accepted (`ATTACHMENT_MAX_BYTES`, 10 MiB by default; ADR 0025). */
  attachmentMaxBytes?: number;
  /** Notifications' timers and test hooks (ADR 0019). */
  notifications?: Pick<NotificationsOptions, 'intervalMs' | 'processor'>;
}

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The HTTP server: problems, observability, docs, auth, commands (and queries once the read models are
 * wired), plus the process steps: named Fastify plugins, each decorating the server with what it provides.
 */
export async function buildServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const clock = deps.clock ?? (() => new Date());
  const publicUrl = deps.publicUrl ?? 'http://localhost:3000';
  const loggerOption: Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> =
    deps.logger === false
      ? { logger: false }
      : deps.logger
        ? { loggerInstance: deps.logger }
        : {
            logger: {
              level: deps.logLevel ?? 'info',
              redact: [
                'req.headers.cookie',
                'req.headers.authorization',
                `req.headers["${FORWARDING_HEADER}"]`,
              ],
            },
          };
  const app = Fastify({
    ...loggerOption,
    bodyLimit: deps.bodyLimit ?? 1_048_576,
    // Fastify gives a plugin 10 s to load. The mounted portal imports SvelteKit's whole server bundle,
    // which on a busy 2-core machine (or a small board at a member's office) took longer and stopped
    // the start: a guard against a hung plugin, not a speed target.
    pluginTimeout: 120_000,
    trustProxy: deps.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    // Bodies are parsed strictly: a `__proto__` or `constructor.prototype` key is a 400, not a risk.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A path the router cannot decode (`%ED%A0%80`, a lone surrogate in UTF-8) fails before any hook runs:
    // answered as a problem too, with the headers every API answer carries.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-content-type-options', 'nosniff').header('content-security-policy', API_CSP);
      return sendProblem(request, reply, toProblem(error));
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built explicitly by the handlers; tests check them against the contract schemas.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Drawn anew for every server: the mounted portal proves itself with it (auth/client-address.ts).
  const forwarding = portalForwarding(newSecret());
  app.decorate('portalForwarding', forwarding);

  // What the server is made of, each a named plugin that declares what it needs (the services first,
  // then the HTTP side, the process steps last: they start once everything else is ready).
  await app.register(foundationPlugin, { store: deps.store, db: deps.db, clock });
  await app.register(commandsPlugin);
  await app.register(accountsPlugin, {
    mailer: deps.mailer,
    passwordCost: deps.passwordCost,
    publicUrl,
    sessionTtlMs: deps.sessionTtlMs,
  });
  await app.register(readSidePlugin, { readSide: deps.readSide, projector: deps.projector });
  await app.register(witnessedLogPlugin, { transparency: deps.transparency });
  await app.register(attachmentsPlugin, { maxBytes: deps.attachmentMaxBytes });

  await app.register(problemsPlugin);
  await app.register(securityPlugin, { publicUrl });
  await app.register(docsPlugin);
  await app.register(observabilityPlugin, { readiness: () => app.processes.readiness() });
  await app.register(authPlugin, {
    signInLimits: deps.signInLimits ?? defaultSignInLimits,
    resetLimits: deps.resetLimits ?? defaultResetLimits,
    forwarding,
    secureCookie: publicUrl.startsWith('https:'),
    sessionTtlMs: deps.sessionTtlMs ?? 30 * 86_400_000,
  });
  await app.register(backupPlugin, { schedule: deps.backups });
  await app.register(commandRoutes);
  await app.register(queryRoutes);
  await app.register(logRoutes);
  await app.register(attachmentRoutes);
  await app.register(livePlugin, { options: deps.live, publicUrl });

  await app.register(processesPlugin, {
    run: deps.processSteps ?? true,
    schedulerIntervalMs: deps.schedulerIntervalMs,
  });
  await app.register(notificationsPlugin, {
    ...deps.notifications,
    run: deps.processSteps ?? true,
    publicUrl,
  });
  await app.register(calendarPlugin, { publicUrl });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How the portal mounted in this process proves itself when it forwards the browser's address. */
    portalForwarding: PortalForwarding;
  }
}
