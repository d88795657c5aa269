import { randomUUID } from 'node:crypto';
import type { CommandDraft } from '@concord/domain';
import type { SeedRunner } from '@concord/generator';
import type { FastifyInstance } from 'fastify';

/**
 * Runs the coalition seeder's commands through this server's command pipeline (the bus: the same
 * context, permission checks, idempotency and append as a request's), at the server's clock. Used by
 * the demo, the tests and the benches, so a seeded history is one people could have made.
 */
export function pipelineSeedRunner(
  app: FastifyInstance,
  options: { correlationId: string; day?: (day: number) => void; beforeEach?: () => void },
): SeedRunner {
  const { commandBus: bus, clock, eventStore: store, readSide } = app;
  return {
    async run(command) {
      options.beforeEach?.();
      const draft = { ...command, now: clock().toISOString() } as CommandDraft;
      const outcome = await bus.execute(draft, {
        commandId: randomUUID(),
        correlationId: options.correlationId,
      });
      if (!outcome.ok) {
        throw new Error(
          `seed: ${draft.type} refused: ${outcome.error.code} ${JSON.stringify(outcome.error)}`,
        );
      }
    },
    async settle() {
      // An execution can lead to another (a founding's admissions, then the members' own steps).
      await app.processes.execution.waitFor(await store.head());
      const executed = await store.head();
      await app.processes.execution.waitFor(executed);
      await readSide?.waitFor(executed, 30_000);
    },
    ...(options.day ? { day: options.day } : {}),
  };
}
