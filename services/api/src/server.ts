import { randomUUID } from 'node:crypto';
import type { PersonState } from '@concord/domain';
import type { EventStore } from '@concord/event-store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { EffectWatch } from './audit/effects.ts';
import { FORWARDING_HEADER, type PortalForwarding, portalForwarding } from './auth/client-address.ts';
import {
  authPlugin,
  defaultResetLimits,
  defaultSignInLimits,
  type ResetLimits,
  type SignInLimits,
} from './auth/plugin.ts';
import { defaultPasswordCost, newSecret, type PasswordCost, Passwords } from './auth/secrets.ts';
import { AuthService } from './auth/service.ts';
import { Facts } from './commands/context.ts';
import { CommandBus } from './commands/handle.ts';
import { commandRoutes } from './commands/routes.ts';
import { StreamStates } from './commands/streams.ts';
import type { Concord } from './context.ts';
import { type ApiDb, migrateApiTables } from './db.ts';
import { LiveFeed, type LiveOptions } from './live/feed.ts';
import { livePlugin } from './live/plugin.ts';
import { followerSource, projectorSource } from './live/source.ts';
import { LogMailer, type Mailer } from './mail.ts';
import { MailOutbox } from './mail-outbox.ts';
import { createMetrics } from './metrics.ts';
import { type BackupSchedule, backupPlugin } from './plugins/backup.ts';
import { docsPlugin } from './plugins/docs.ts';
import { observabilityPlugin } from './plugins/observability.ts';
import { problemsPlugin, sendProblem, toProblem } from './plugins/problems.ts';
import { API_CSP, securityPlugin } from './plugins/security.ts';
import { Checkpoints } from './process/checkpoints.ts';
import { DecisionExecution } from './process/execution.ts';
import { Retention } from './process/retention.ts';
import { DecisionScheduler } from './process/scheduler.ts';
import { ReplayChecks } from './queries/replay.ts';
import { queryRoutes } from './queries/routes.ts';
import { projectionsReadSide, type ReadSide } from './read-side.ts';
import { logRoutes } from './transparency/routes.ts';
import { WitnessedLog, type WitnessedLogOptions } from './transparency/witnessed-log.ts';

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
}

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The HTTP server: problems, observability, docs, auth, commands (and queries once the read models are
 * wired), plus the process steps. Everything is a Fastify plugin over `app.concord`.
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

  await migrateApiTables(deps.db);
  const apiDb = deps.db as unknown as ApiDb;
  const metrics = createMetrics();
  const streams = new StreamStates({ store: deps.store });
  const facts = new Facts(streams);
  const bus = new CommandBus({ store: deps.store, streams, facts, metrics, logger: app.log });
  const mailer = deps.mailer ?? new LogMailer(app.log);
  const outbox = new MailOutbox({ db: apiDb, mailer, logger: app.log, clock });
  const auth = new AuthService({
    db: apiDb,
    facts,
    passwords: new Passwords(deps.passwordCost ?? defaultPasswordCost),
    mailer,
    outbox,
    logger: app.log,
    clock,
    publicUrl,
    sessionTtlMs: deps.sessionTtlMs,
  });
  outbox.register('passwordReset', (email) => auth.passwordResetMail(email));
  // Drawn anew for every server: the mounted portal proves itself with it (auth/client-address.ts).
  const forwarding = portalForwarding(newSecret());
  app.decorate('portalForwarding', forwarding);
  const concord: Concord = {
    store: deps.store,
    db: deps.db,
    apiDb,
    streams,
    facts,
    bus,
    auth,
    outbox,
    metrics,
    clock,
    readSide:
      deps.readSide === null
        ? null
        : deps.readSide === undefined || deps.readSide === 'embedded'
          ? projectionsReadSide({
              db: deps.db,
              store: deps.store,
              logger: app.log,
              projector: deps.projector ?? true,
            })
          : deps.readSide,
  };
  // Replay checks compare with the read models this process's projector keeps.
  concord.replays =
    concord.readSide?.projecting === true
      ? new ReplayChecks({
          db: deps.db,
          store: deps.store,
          readSide: concord.readSide,
          logger: app.log,
          clock,
        })
      : null;
  // Decisions' effects are checked where the projector runs: one instance warns, counts and logs.
  concord.effects =
    concord.readSide?.projecting === true
      ? new EffectWatch({ store: deps.store, logger: app.log, metrics })
      : null;
  app.decorate('concord', concord);

  const readSide = concord.readSide;
  const live = readSide
    ? new LiveFeed({
        source: readSide.projecting
          ? projectorSource(readSide, deps.store, { logger: app.log })
          : followerSource({ readSide, store: deps.store, logger: app.log }),
        models: () => readSide.models,
        auth,
        metrics,
        logger: app.log,
        options: deps.live,
      })
    : null;
  app.decorate('live', live);

  const execution = new DecisionExecution({
    store: deps.store,
    bus,
    checkpoints: new Checkpoints(apiDb, clock),
    logger: app.log,
    metrics,
    clock,
  });
  const scheduler = new DecisionScheduler({
    models: () => concord.readSide?.models ?? null,
    streams,
    bus,
    logger: app.log,
    clock,
    intervalMs: deps.schedulerIntervalMs ?? 30_000,
  });
  const retention = new Retention({
    db: apiDb,
    clock,
    logger: app.log,
    intervalMs: 3_600_000,
    forgotten: async () =>
      (await streams.loadAll<PersonState>('person', 'person-')).flatMap(({ streamId, state }) =>
        state.status === 'forgotten' ? [streamId.slice('person-'.length)] : [],
      ),
    forget: (personId) => auth.forget(personId),
  });
  const processSteps = deps.processSteps ?? true;
  app.decorate('processes', { execution, scheduler, retention });
  const witnessedLog = deps.transparency
    ? await WitnessedLog.open(
        { db: deps.db, store: deps.store, bus, facts, apiDb, clock, logger: app.log },
        deps.transparency,
      )
    : null;
  app.decorate('witnessedLog', witnessedLog);

  await app.register(problemsPlugin);
  await app.register(securityPlugin, { publicUrl });
  await app.register(docsPlugin);
  await app.register(observabilityPlugin, {
    readiness: (): Record<string, boolean> =>
      processSteps ? { decisionExecution: execution.running(), scheduler: scheduler.running() } : {},
  });
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
  await app.register(livePlugin, { feed: live, publicUrl });

  app.addHook('onReady', async () => {
    // The read models catch up first, so the first query after start-up is current.
    await concord.readSide?.start();
    concord.effects?.start();
    await live?.start();
    outbox.start();
    await witnessedLog?.start();
    if (processSteps) {
      await execution.start();
      scheduler.start();
      retention.start();
    }
  });
  app.addHook('onClose', async () => {
    await outbox.stop();
    await concord.replays?.settled();
    await scheduler.stop();
    await retention.stop();
    await execution.stop();
    await witnessedLog?.stop();
    await live?.stop();
    await concord.effects?.stop();
    await concord.readSide?.stop();
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    processes: { execution: DecisionExecution; scheduler: DecisionScheduler; retention: Retention };
    /** The live feed's sockets (null without read models). */
    live: LiveFeed | null;
    /** How the portal mounted in this process proves itself when it forwards the browser's address. */
    portalForwarding: PortalForwarding;
  }
}
