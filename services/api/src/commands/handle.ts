import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandResult } from '@concord/contracts';
import {
  aggregateOf,
  type CommandDraft,
  type Decider,
  type DomainCommand,
  type DomainError,
  type DomainEvent,
  deciders,
  isDomainError,
  streamIdForCommand,
  withContext,
} from '@concord/domain';
import { ConcurrencyError, EventIdConflictError, type EventStore, type NewEvent } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import { ProblemError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Facts } from './context.ts';
import { derivedUuid } from './ids.ts';
import { KeyedLock } from './lock.ts';
import { type StreamStates, schemaVersionOf } from './streams.ts';

/** Where a command came from: its id (recorded in each event's metadata) and the chain it belongs to. */
export interface CommandMeta {
  commandId: string;
  correlationId: string;
  /** The event or request that caused the command; the command itself when absent. */
  causationId?: string;
  /** Ids the command creates, reported back to the client. */
  created?: CommandResult['created'];
}

export type CommandOutcome =
  | { ok: true; result: CommandResult; replayed: boolean; state: unknown }
  | { ok: false; error: DomainError };

export interface CommandBusOptions {
  store: EventStore;
  streams: StreamStates;
  facts: Facts;
  metrics: Metrics;
  logger: FastifyBaseLogger;
  /** Decisions attempted per command before a version conflict is given up (other processes only). */
  maxAttempts?: number;
}

/**
 * The command pipeline, the one way anything is written:
 * load the target stream → recognise a command already applied (its id is in the stream) → fill the
 * context from other aggregates' current states → decide → append with the expected version → on a
 * version conflict, load and decide again (bounded). Commands on one stream take turns in this process.
 */
export class CommandBus {
  readonly #lock = new KeyedLock();
  readonly #options: Required<CommandBusOptions>;

  constructor(options: CommandBusOptions) {
    this.#options = { ...options, maxAttempts: options.maxAttempts ?? 8 };
  }

  get streams(): StreamStates {
    return this.#options.streams;
  }

  async execute(draft: CommandDraft, meta: CommandMeta): Promise<CommandOutcome> {
    const { metrics } = this.#options;
    const streamId = streamIdForCommand(draft as DomainCommand);
    const started = process.hrtime.bigint();
    const waiting = metrics.commandSteps.startTimer({ step: 'lock' });
    try {
      const outcome = await this.#lock.run(streamId, () => {
        waiting();
        return this.#attempt(draft, streamId, meta);
      });
      const label = outcome.ok ? (outcome.replayed ? 'replayed' : 'accepted') : 'refused';
      metrics.commands.inc({ command: draft.type, outcome: label });
      return outcome;
    } catch (error) {
      const conflict = error instanceof ProblemError && error.code === 'CONCURRENCY_CONFLICT';
      metrics.commands.inc({ command: draft.type, outcome: conflict ? 'conflict' : 'failed' });
      throw error;
    } finally {
      metrics.commandDuration.observe(
        { command: draft.type },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  async #attempt(draft: CommandDraft, streamId: string, meta: CommandMeta): Promise<CommandOutcome> {
    const { store, streams, facts, metrics, maxAttempts, logger } = this.#options;
    const aggregate = aggregateOf(draft as DomainCommand);
    const decider = deciders[aggregate] as unknown as Decider<DomainCommand, DomainEvent, unknown>;
    for (let attempt = 1; ; attempt++) {
      const step = (name: string) => metrics.commandSteps.startTimer({ step: name });
      let timed = step('load');
      const loaded = await streams.load(aggregate, streamId);
      timed();
      const applied = loaded.commands.get(meta.commandId);
      if (applied) {
        return {
          ok: true,
          replayed: true,
          state: loaded.state,
          result: {
            commandId: meta.commandId,
            streamId,
            ...applied,
            events: [...applied.events],
            created: meta.created ?? {},
          },
        };
      }
      timed = step('context');
      const command = await withContext(draft, loaded.state, facts);
      timed();
      timed = step('decide');
      const decision = decider.decide(command, loaded.state);
      timed();
      if (isDomainError(decision)) return { ok: false, error: decision };
      if (decision.length === 0) {
        return {
          ok: true,
          replayed: false,
          state: loaded.state,
          result: {
            commandId: meta.commandId,
            streamId,
            streamVersion: loaded.version,
            position: 0,
            events: [],
            created: meta.created ?? {},
          },
        };
      }
      const actor = command.actor;
      const events: NewEvent[] = decision.map((event, index) => ({
        id: derivedUuid(meta.commandId, 'event', String(index)),
        type: event.type,
        data: event.data,
        metadata: {
          commandId: meta.commandId,
          commandType: command.type,
          correlationId: meta.correlationId,
          causationId: meta.causationId ?? meta.commandId,
          actor: { personId: actor.personId, organizationId: actor.organizationId, role: actor.role },
          schemaVersion: schemaVersionOf(event.type),
        },
      }));
      try {
        timed = step('append');
        const appended = await store.append(streamId, events, { expectedVersion: loaded.version });
        timed();
        metrics.appends.inc();
        for (const event of events) metrics.appendedEvents.inc({ type: event.type });
        const record = {
          streamVersion: appended.nextExpectedVersion,
          position: appended.lastGlobalPosition,
          events: events.map(({ id, type }) => ({ id, type })),
        };
        const next = streams.advance(loaded, decision, { commandId: meta.commandId, ...record });
        if (!appended.alreadyAppended) streams.remember(next);
        return {
          ok: true,
          replayed: appended.alreadyAppended,
          state: next.state,
          result: { commandId: meta.commandId, streamId, ...record, created: meta.created ?? {} },
        };
      } catch (error) {
        if (error instanceof EventIdConflictError) {
          throw new ProblemError('IDEMPOTENCY_KEY_REUSED', {
            detail: 'These event ids were used by another command.',
          });
        }
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= maxAttempts) {
          logger.warn({ streamId, command: draft.type, attempt }, 'version conflict: giving up');
          throw new ProblemError('CONCURRENCY_CONFLICT');
        }
        metrics.commandRetries.inc({ command: draft.type });
        // Exponential back-off with full jitter: two instances racing on one stream drift apart.
        await sleep(Math.floor(Math.random() * 2 ** attempt * 2) + 1);
      }
    }
  }
}
