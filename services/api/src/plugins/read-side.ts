import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EffectWatch } from '../audit/effects.ts';
import { ReplayChecks } from '../queries/replay.ts';
import { projectionsReadSide, type ReadSide } from '../read-side.ts';

export interface ReadSideOptions {
  /** `embedded` (default) runs the projector here on the database; null serves no queries. */
  readSide?: ReadSide | 'embedded' | null;
  /** With the embedded read side: run the projector in this process (default true). */
  projector?: boolean;
}

/**
 * The read models (`readSide`), and beside the projector, where one runs in this process, the two checks
 * that compare with it: replay checks (`replays`) and the decisions' effect check (`effects`). The read
 * models catch up at start-up, before the server answers, so the first query is current.
 */
export const readSidePlugin = fp(
  async (app: FastifyInstance, options: ReadSideOptions) => {
    const { eventStore: store, database: db, clock } = app;
    const readSide =
      options.readSide === null
        ? null
        : options.readSide === undefined || options.readSide === 'embedded'
          ? projectionsReadSide({ db, store, logger: app.log, projector: options.projector ?? true })
          : options.readSide;
    // Both compare with the read models this process's projector keeps: one instance checks.
    const projecting = readSide?.projecting === true;
    const replays =
      projecting && readSide ? new ReplayChecks({ db, store, readSide, logger: app.log, clock }) : null;
    const effects = projecting ? new EffectWatch({ store, logger: app.log, metrics: app.metrics }) : null;
    app.decorate('readSide', readSide);
    app.decorate('replays', replays);
    app.decorate('effects', effects);
    app.addHook('onReady', async () => {
      await readSide?.start();
      effects?.start();
    });
    app.addHook('onClose', async () => {
      await replays?.settled();
      await effects?.stop();
      await readSide?.stop();
    });
  },
  { name: 'concord-read-side', dependencies: ['concord-foundation'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Read models and the projector feeding them; null when this server serves no queries. */
    readSide: ReadSide | null;
    /** Replay checks over the API; null where no projector runs (they compare with its read models). */
    replays: ReplayChecks | null;
    /** The effect check beside the projector; null where no projector runs. */
    effects: EffectWatch | null;
  }
}
