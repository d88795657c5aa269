import type { PersonState } from '@concord/domain';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CheckInSchedule } from './check-in-schedule.ts';
import { Checkpoints } from './checkpoints.ts';
import { DecisionExecution } from './execution.ts';
import { Retention } from './retention.ts';
import { DecisionScheduler } from './scheduler.ts';

export interface ProcessesOptions {
  /** Run the steps in this process (default true); otherwise they exist but never start. */
  run?: boolean;
  /** How often scheduled decisions are tried (default 30 s). */
  schedulerIntervalMs?: number;
}

/**
 * The process steps (`processes`): executing adopted decisions, deciding scheduled ones, keeping the
 * partnerships' check-in rhythm, and forgetting
 * the personal data of people the history forgot. They start once everything else is ready and stop
 * first.
 */
export const processesPlugin = fp(
  async (app: FastifyInstance, options: ProcessesOptions) => {
    const { eventStore: store, commandBus: bus, streams, clock, apiDb, auth } = app;
    const execution = new DecisionExecution({
      store,
      bus,
      checkpoints: new Checkpoints(apiDb, clock),
      logger: app.log,
      metrics: app.metrics,
      clock,
    });
    const beat = { streams, bus, logger: app.log, clock, intervalMs: options.schedulerIntervalMs ?? 30_000 };
    const scheduler = new DecisionScheduler({ models: () => app.readSide?.models ?? null, ...beat });
    // The partnerships' check-in rhythm, on the decision scheduler's beat.
    const checkIns = new CheckInSchedule(beat);
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
    const run = options.run ?? true;
    app.decorate('processes', {
      execution,
      scheduler,
      checkIns,
      retention,
      readiness: (): Record<string, boolean> =>
        run ? { decisionExecution: execution.running(), scheduler: scheduler.running() } : {},
    });
    app.addHook('onReady', async () => {
      if (!run) return;
      await execution.start();
      scheduler.start();
      checkIns.start();
      retention.start();
    });
    app.addHook('onClose', async () => {
      await scheduler.stop();
      await checkIns.stop();
      await retention.stop();
      await execution.stop();
    });
  },
  {
    name: 'concord-processes',
    dependencies: ['concord-foundation', 'concord-commands', 'concord-accounts', 'concord-read-side'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    processes: {
      execution: DecisionExecution;
      scheduler: DecisionScheduler;
      checkIns: CheckInSchedule;
      retention: Retention;
      /** The steps' health for `/health/ready` (none where they do not run here). */
      readiness(): Record<string, boolean>;
    };
  }
}
