import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { WitnessedLog, type WitnessedLogOptions } from './witnessed-log.ts';

/**
 * The witnessed log (ADR 0009) as `witnessedLog`: null without options (most tests need no log; its
 * routes then answer 503 LOG_NOT_RUNNING).
 */
export const witnessedLogPlugin = fp(
  async (app: FastifyInstance, options: { transparency?: WitnessedLogOptions | null }) => {
    const witnessedLog = options.transparency
      ? await WitnessedLog.open(
          {
            db: app.database,
            store: app.eventStore,
            bus: app.commandBus,
            facts: app.facts,
            apiDb: app.apiDb,
            clock: app.clock,
            logger: app.log,
          },
          options.transparency,
        )
      : null;
    app.decorate('witnessedLog', witnessedLog);
    app.addHook('onReady', async () => witnessedLog?.start());
    app.addHook('onClose', async () => witnessedLog?.stop());
  },
  { name: 'concord-witnessed-log', dependencies: ['concord-foundation', 'concord-commands'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The witnessed log this server keeps or serves; null when it keeps none. */
    witnessedLog: WitnessedLog | null;
  }
}
