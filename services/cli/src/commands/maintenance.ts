import { appendCoalition } from '@concord/generator';
import { Projector, rebuild } from '@concord/projections';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../io.ts';
import { progressReporter } from '../progress.ts';

/** `concord project`: brings the live read models up to date with the store, then stops. */
export async function project(target: Target, out: Output) {
  const projector = new Projector({ db: target.db, store: target.store, batchSize: 5000 });
  await projector.start();
  await projector.stop();
  out.write(`read models at position ${projector.position} (${projector.eventsApplied} events)\n`);
  return EXIT.ok;
}

/** `concord rebuild`: rebuilds every read model from the first event and swaps them in. */
export async function rebuildAll(target: Target, out: Output, err: Output) {
  const progress = progressReporter('rebuilding', err);
  const result = await rebuild({
    db: target.db,
    store: target.store,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  out.write(`rebuilt from ${result.events} events in ${(result.ms / 1000).toFixed(1)} s; swapped in\n`);
  return EXIT.ok;
}

/** `concord generate`: a seeded, realistic coalition history in an empty store (demos and tests). */
export async function generate(
  target: Target,
  options: { events: number; seed: number },
  out: Output,
  err: Output,
) {
  if ((await target.store.head()) !== 0) {
    throw new CliError(
      `the event store ${target.description} is not empty; generate only writes to a new one`,
      EXIT.failed,
    );
  }
  const progress = progressReporter('generating', err);
  const result = await appendCoalition(target.store, options, {
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  out.write(`generated ${result.events} events in ${result.appends} appends (seed ${options.seed})\n`);
  return project(target, out);
}
