import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Facts } from './context.ts';
import { CommandBus } from './handle.ts';
import { StreamStates } from './streams.ts';

/**
 * The command pipeline: streams' folded states, the facts a command is judged by, and the bus that
 * decides, checks and appends every command (requests, process steps, the seeder).
 */
export const commandsPlugin = fp(
  async (app: FastifyInstance) => {
    const streams = new StreamStates({ store: app.eventStore });
    const facts = new Facts(streams);
    app.decorate('streams', streams);
    app.decorate('facts', facts);
    app.decorate(
      'commandBus',
      new CommandBus({ store: app.eventStore, streams, facts, metrics: app.metrics, logger: app.log }),
    );
  },
  { name: 'concord-commands', dependencies: ['concord-foundation'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Streams' states, folded from the store (cached). */
    streams: StreamStates;
    /** Other aggregates' facts, as a command's context needs them. */
    facts: Facts;
    /** Decides and appends commands: the one way anything changes. */
    commandBus: CommandBus;
  }
}
