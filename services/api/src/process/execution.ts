import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DomainCommand,
  type DomainErrorCode,
  executionCommandsFor,
  executionFailureCommandFor,
  forgettingCommandsFor,
  foundingCommandsFor,
  type StoredDecision,
  type StoredFounding,
} from '@concord/domain';
import type { EventStore, RecordedEvent, Subscription } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import type { CommandBus } from '../commands/handle.ts';
import { derivedUuid } from '../commands/ids.ts';
import { toDomainEvent } from '../commands/streams.ts';
import type { Metrics } from '../metrics.ts';
import type { Checkpoints } from './checkpoints.ts';
import { Follower } from './follower.ts';

export const EXECUTION_PROCESS = 'decision-execution';

export interface DecisionExecutionOptions {
  store: EventStore;
  bus: CommandBus;
  checkpoints: Checkpoints;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  clock: () => Date;
}

/**
 * The process step that makes decisions happen: it follows the event log from its checkpoint and, for
 * each adopted `ProposalDecided`, issues `executionCommandsFor(...)` through the command pipeline as the
 * system actor (for `CoalitionFounded`, the founding admissions; for `PersonForgotten`, the end of the
 * person's representation).
 *
 * Exactly once, even across restarts: each step's command id is derived from the decision event, so a
 * step appended before a crash is recognised in its stream; and every aggregate refuses a second
 * execution of the same decision (`DECISION_ALREADY_EXECUTED`), which the step treats as done. The
 * checkpoint only saves re-reading.
 */
export class DecisionExecution extends Follower {
  #subscription: Subscription | undefined;
  #stopped = false;
  #failed = false;
  constructor(private readonly o: DecisionExecutionOptions) {
    super();
  }

  running(): boolean {
    return this.#subscription !== undefined && !this.#stopped && !this.#failed;
  }

  async start(): Promise<void> {
    this.resumeAt(await this.o.checkpoints.read(EXECUTION_PROCESS));
    this.#subscribe();
  }

  #subscribe(): void {
    const subscription = this.o.store.subscribe({ after: this.position, batchSize: 500 }, (event) =>
      this.#handle(event),
    );
    this.#subscription = subscription;
    subscription.done.catch(async (error) => {
      if (this.#stopped) return;
      this.#failed = true;
      this.o.logger.error({ err: error, process: EXECUTION_PROCESS }, 'process step stopped; restarting');
      await sleep(1000);
      if (this.#stopped) return;
      this.#failed = false;
      this.#subscribe();
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#subscription?.close();
    await this.o.checkpoints.write(EXECUTION_PROCESS, this.position).catch(() => {});
  }

  async #handle(event: RecordedEvent): Promise<void> {
    if (
      event.type === 'ProposalDecided' ||
      event.type === 'CoalitionFounded' ||
      event.type === 'PersonForgotten'
    ) {
      // A failure here (the database went away) is retried until it passes or the step stops.
      for (let attempt = 1; !this.#stopped; attempt++) {
        try {
          await this.#react(event);
          break;
        } catch (error) {
          this.o.logger.error({ err: error, eventId: event.id, attempt }, 'process step failed; retrying');
          await sleep(Math.min(30_000, 200 * 2 ** attempt));
        }
      }
      await this.o.checkpoints.write(EXECUTION_PROCESS, event.globalPosition);
    }
    this.reached(event.globalPosition);
    this.o.metrics.processPosition.set({ process: EXECUTION_PROCESS }, event.globalPosition);
  }

  async #react(event: RecordedEvent): Promise<void> {
    const now = this.o.clock().toISOString();
    const domainEvent = toDomainEvent(event);
    const correlationId =
      typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.id;
    const run = (command: DomainCommand, index: number) =>
      this.o.bus.execute(command, {
        commandId: derivedUuid(EXECUTION_PROCESS, event.id, String(index)),
        correlationId,
        causationId: event.id,
      });

    /** Runs each of `commands`; a refusal is logged as `refused` unless it says the step is done already. */
    const runEach = async (commands: DomainCommand[], done: DomainErrorCode, refused: string) => {
      for (const [index, command] of commands.entries()) {
        const outcome = await run(command, index);
        if (!outcome.ok && outcome.error.code !== done) {
          this.o.logger.warn({ code: outcome.error.code, command: command.type }, refused);
        }
      }
    };

    if (domainEvent.type === 'CoalitionFounded') {
      const founding: StoredFounding = { ...domainEvent, id: event.id };
      return runEach(
        foundingCommandsFor(founding, now),
        'DECISION_ALREADY_EXECUTED',
        'founding admission refused',
      );
    }
    if (domainEvent.type === 'PersonForgotten') {
      return runEach(
        forgettingCommandsFor(domainEvent, now),
        'REPRESENTATIVE_NOT_FOUND',
        'ending representation refused',
      );
    }
    if (domainEvent.type !== 'ProposalDecided') return;
    const decision: StoredDecision = { ...domainEvent, id: event.id };
    const commands = executionCommandsFor(decision, now);
    for (const [index, command] of commands.entries()) {
      const outcome = await run(command, index);
      if (outcome.ok || outcome.error.code === 'DECISION_ALREADY_EXECUTED') continue;
      this.o.logger.warn(
        { proposalId: decision.data.proposalId, code: outcome.error.code, command: command.type },
        'an adopted decision could not be executed',
      );
      const failure = await run(executionFailureCommandFor(decision, outcome.error, now), commands.length);
      if (!failure.ok && failure.error.code !== 'DECISION_ALREADY_EXECUTED') {
        this.o.logger.error({ code: failure.error.code }, 'could not record the execution failure');
      }
      return;
    }
  }
}
