import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandResult } from '@concord/contracts';
import {
  aggregateOf,
  type CommandDraft,
  type DomainCommand,
  type DomainError,
  type DomainEvent,
  deciderFor,
  isDomainError,
  streamIdForCommand,
  withContext,
} from '@concord/domain';
import {
  ConcurrencyError,
  EventIdConflictError,
  type EventStore,
  MAX_UNCHANGED,
  type NewEvent,
  type StreamAt,
} from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import { ProblemError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Facts, FactsRead } from './context.ts';
import { derivedUuid } from './ids.ts';
import { type LoadedStream, type StreamStates, schemaVersionOf } from './streams.ts';

/** Where a command came from: its id (recorded in each event's metadata) and the chain it belongs to. */
export interface CommandMeta {
  commandId: string;
  correlationId: string;
  /** The event or request that caused the command; the command itself when absent. */
  causationId?: string;
  /** Ids the command creates, reported back to the client. */
  created?: CommandResult['created'];
  /** The streams the actor's role was read from without checking them (`Principal.basis`, ADR 0043). */
  roleBasis?: readonly StreamAt[];
}

/**
 * A command's actor was given a role read from a state this process kept, and that stream has moved on
 * since: the role must be read again before the command is made (the command routes do, once).
 */
export class RoleMovedError extends Error {
  constructor(readonly streamId: string) {
    super(`The role was read from ${streamId} at a version it has moved on from.`);
  }
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

/** The most commands, and events, one append carries for a stream's queue (the store takes < 1000). */
const BATCH_COMMANDS = 64;
const BATCH_EVENTS = 900;

/** A command waiting for its stream's turn. */
interface Job {
  draft: CommandDraft;
  meta: CommandMeta;
  /** Stops the timer of the wait for the stream's turn. */
  waited: () => void;
  resolve(outcome: CommandOutcome): void;
  reject(error: unknown): void;
}

/** What deciding one command of a batch came to, answered once the batch's append is known. */
type Plan =
  | { job: Job; kind: 'answered'; outcome: CommandOutcome; read?: FactsRead }
  | { job: Job; kind: 'failed'; error: unknown }
  | { job: Job; kind: 'unchanged'; version: number; state: unknown; read: FactsRead }
  | {
      job: Job;
      kind: 'appends';
      read: FactsRead;
      decision: DomainEvent[];
      events: NewEvent[];
      state: unknown;
      through: number;
    }
  | { job: Job; kind: 'repeats'; of: Plan & { kind: 'appends' } };

/**
 * The command pipeline, the one way anything is written:
 * load the target stream → recognise a command already applied (its id is in the stream) → fill the
 * context from other aggregates' current states → decide → append with the expected version → on a
 * version conflict, load and decide again (bounded).
 *
 * Commands on one stream take turns in this process, and those that queued up while the stream was busy
 * are decided together, each on the state the ones before it left, and appended as one: one load, one
 * append and one commit for many stances on one proposal near its deadline. Nothing is answered before
 * that append is known; a version conflict decides the whole batch again, and any other failure of a
 * batch's append makes each of its commands again on its own, so each gets the answer it would have had
 * alone. (ADR 0021)
 */
export class CommandBus {
  readonly #queues = new Map<string, Job[]>();
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
    const waited = metrics.commandSteps.startTimer({ step: 'lock' });
    try {
      const outcome = await new Promise<CommandOutcome>((resolve, reject) =>
        this.#enqueue(streamId, { draft, meta, waited, resolve, reject }),
      );
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

  #enqueue(streamId: string, job: Job): void {
    const queue = this.#queues.get(streamId);
    if (queue) {
      queue.push(job);
      return;
    }
    const fresh = [job];
    this.#queues.set(streamId, fresh);
    void this.#drain(streamId, fresh);
  }

  /** Decides the stream's queued commands, a batch at a time, until none wait. */
  async #drain(streamId: string, queue: Job[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, BATCH_COMMANDS);
      for (const job of batch) job.waited();
      let left: Job[] = [];
      try {
        left = await this.#batch(streamId, batch);
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
      // Commands that did not fit in the batch's append go first next time.
      queue.unshift(...left);
    }
    this.#queues.delete(streamId);
  }

  /** Decides and appends a batch; answers its commands and returns those left for the next batch. */
  async #batch(streamId: string, jobs: Job[]): Promise<Job[]> {
    const { store, streams, metrics, maxAttempts, logger } = this.#options;
    const aggregate = aggregateOf(jobs[0]!.draft as DomainCommand);
    let batch = jobs;
    for (let attempt = 1; batch.length > 0; attempt++) {
      const timed = metrics.commandSteps.startTimer({ step: 'load' });
      // The first attempt decides on kept states without asking the store for their streams' versions: the
      // stream's own, and the facts of other streams (ADR 0043). The append's expected version and its checks
      // of the other streams catch a stream moved on by another process; an answer without an append checks
      // the versions before it is given. Later attempts load every state as it is now.
      const unchecked = attempt === 1 ? streams.kept(streamId) : undefined;
      const loaded = unchecked ?? (await streams.load(aggregate, streamId));
      timed();
      const { plans, left } = await this.#plan(loaded, batch, attempt === 1);
      const events = plans.flatMap((plan) => (plan.kind === 'appends' ? plan.events : []));
      // Every stream a judged command read (its facts, its actor's role), at the version it was read at.
      const checks = checksOf(plans);
      checks.delete(streamId);
      if (events.length === 0) {
        // A command found in the stream is answered from it, whatever came after; any other answer (a
        // refusal included) was judged on the states read.
        // After the first attempt every state was loaded as it was then, as before ADR 0043; only the roles,
        // read before the command came here, are checked again.
        if (attempt > 1) {
          const roles = roleStreams(plans);
          for (const id of checks.keys()) if (!roles.has(id)) checks.delete(id);
        }
        if (unchecked && judgedOf(plans).length > 0) checks.set(streamId, loaded.version);
        const moved = await this.#moved(checks);
        if (moved.size > 0) {
          batch = this.#dropRoleMoved(batch, moved);
          continue;
        }
        this.#answer(loaded, plans, null);
        return left;
      }
      try {
        const timedAppend = metrics.commandSteps.startTimer({ step: 'append' });
        const appended = await store.append(streamId, events, {
          expectedVersion: loaded.version,
          unchanged: [...checks].map(([id, version]) => ({ streamId: id, version })),
        });
        timedAppend();
        metrics.appends.inc();
        for (const event of events) metrics.appendedEvents.inc({ type: event.type });
        this.#answer(loaded, plans, {
          version: appended.nextExpectedVersion,
          position: appended.lastGlobalPosition,
          total: events.length,
          replayed: appended.alreadyAppended,
        });
        return left;
      } catch (error) {
        if (error instanceof ConcurrencyError) {
          const rest = this.#dropRoleMoved(batch, new Set([error.streamId]));
          if (rest.length < batch.length) {
            // Only a role moved: the other commands are decided again at once.
            batch = rest;
            continue;
          }
          if (attempt >= maxAttempts) {
            logger.warn({ streamId, attempt }, 'version conflict: giving up');
            throw new ProblemError('CONCURRENCY_CONFLICT');
          }
          for (const job of batch) metrics.commandRetries.inc({ command: job.draft.type });
          // Exponential back-off with full jitter: two instances racing on one stream drift apart.
          await sleep(Math.floor(Math.random() * 2 ** attempt * 2) + 1);
          continue;
        }
        if (batch.length > 1) {
          // Which command's events the store refused is not known: each is made again on its own.
          for (const { job } of plans)
            await this.#batch(streamId, [job]).catch((e: unknown) => job.reject(e));
          return left;
        }
        if (error instanceof EventIdConflictError) {
          throw new ProblemError('IDEMPOTENCY_KEY_REUSED', {
            detail: 'These event ids were used by another command.',
          });
        }
        throw error;
      }
    }
    return [];
  }

  /** Which of `checks`' streams are no longer at the version given (one small read each, together). */
  async #moved(checks: ReadonlyMap<string, number>): Promise<Set<string>> {
    const { store } = this.#options;
    const found = await Promise.all(
      [...checks].map(async ([id, version]) => ((await store.streamVersion(id)) === version ? null : id)),
    );
    return new Set(found.filter((id) => id !== null));
  }

  /** Refuses the commands whose actor's role was read from one of `moved` (`RoleMovedError`); the rest. */
  #dropRoleMoved(jobs: Job[], moved: ReadonlySet<string>): Job[] {
    return jobs.filter((job) => {
      const basis = job.meta.roleBasis?.find((at) => moved.has(at.streamId));
      if (basis) job.reject(new RoleMovedError(basis.streamId));
      return !basis;
    });
  }

  /**
   * Decides each command on the state the ones before it in the batch left. A command whose events would
   * not fit in the batch's append, and every one after it, is left for the next batch.
   */
  async #plan(loaded: LoadedStream, jobs: Job[], kept: boolean): Promise<{ plans: Plan[]; left: Job[] }> {
    const { facts, metrics, streams } = this.#options;
    // The streams the batch's append will check, bounded as the store bounds them.
    const checked = new Set<string>();
    const decider = deciderFor(loaded.aggregate);
    const plans: Plan[] = [];
    const planned = new Map<string, Plan & { kind: 'appends' }>();
    let state = loaded.state;
    let count = 0;
    for (const [index, job] of jobs.entries()) {
      const { draft, meta } = job;
      const applied = loaded.commands.at(meta.commandId, loaded.version);
      if (applied) {
        plans.push({ job, kind: 'answered', outcome: replayedOutcome(loaded, meta, applied) });
        continue;
      }
      const twin = planned.get(meta.commandId);
      if (twin) {
        plans.push({ job, kind: 'repeats', of: twin });
        continue;
      }
      let decision: DomainEvent[] | DomainError;
      let command: DomainCommand;
      // A role read from this very stream must have been read at the version decided on.
      const stale = meta.roleBasis?.find(
        (at) => at.streamId === loaded.streamId && at.version !== loaded.version,
      );
      if (stale) {
        plans.push({ job, kind: 'failed', error: new RoleMovedError(stale.streamId) });
        continue;
      }
      const read: FactsRead = new Map();
      try {
        let timed = metrics.commandSteps.startTimer({ step: 'context' });
        command = await withContext(draft, state, facts.recorded(read, kept));
        timed();
        timed = metrics.commandSteps.startTimer({ step: 'decide' });
        decision = decider.decide(command, state);
        timed();
      } catch (error) {
        plans.push({ job, kind: 'failed', error });
        continue;
      }
      for (const at of meta.roleBasis ?? []) read.set(at.streamId, at.version);
      const reading = [...read.keys()].filter((id) => !checked.has(id));
      const full = count > 0 && !isDomainError(decision) && count + decision.length > BATCH_EVENTS;
      if (plans.length > 0 && (full || checked.size + reading.length > MAX_UNCHANGED - 1)) {
        return { plans, left: jobs.slice(index) };
      }
      for (const id of reading) checked.add(id);
      if (isDomainError(decision)) {
        plans.push({ job, kind: 'answered', outcome: { ok: false, error: decision }, read });
        continue;
      }
      if (decision.length === 0) {
        plans.push({ job, kind: 'unchanged', version: loaded.version + count, state, read });
        continue;
      }
      const actor = command.actor;
      const events: NewEvent[] = decision.map((event, i) => ({
        id: derivedUuid(meta.commandId, 'event', String(i)),
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
      state = streams.fold(loaded.aggregate, state, decision);
      count += decision.length;
      const plan = { job, kind: 'appends' as const, read, decision, events, state, through: count };
      planned.set(meta.commandId, plan);
      plans.push(plan);
    }
    return { plans, left: [] };
  }

  /** Answers a batch's commands once its append (if any) is known, and keeps the stream's new state. */
  #answer(
    loaded: LoadedStream,
    plans: Plan[],
    appended: { version: number; position: number; total: number; replayed: boolean } | null,
  ): void {
    const { streams } = this.#options;
    const steps: Parameters<StreamStates['advance']>[1][number][] = [];
    const results = new Map<Plan, CommandResult>();
    for (const plan of plans) {
      if (plan.kind !== 'appends' || !appended) continue;
      const applied = {
        streamVersion: loaded.version + plan.through,
        // An append's events take consecutive positions: this command's last is counted back from the end.
        position: appended.position - (appended.total - plan.through),
        events: plan.events.map(({ id, type }) => ({ id, type })),
      };
      steps.push({ commandId: plan.job.meta.commandId, state: plan.state, applied });
      results.set(plan, {
        commandId: plan.job.meta.commandId,
        streamId: loaded.streamId,
        ...applied,
        created: {},
      });
    }
    if (appended && !appended.replayed) streams.remember(streams.advance(loaded, steps));
    for (const plan of plans) {
      const { job } = plan;
      const created = job.meta.created ?? {};
      switch (plan.kind) {
        case 'answered':
          job.resolve(plan.outcome);
          break;
        case 'failed':
          job.reject(plan.error);
          break;
        case 'unchanged':
          job.resolve({
            ok: true,
            replayed: false,
            state: plan.state,
            result: {
              commandId: job.meta.commandId,
              streamId: loaded.streamId,
              streamVersion: plan.version,
              position: 0,
              events: [],
              created,
            },
          });
          break;
        case 'appends':
        case 'repeats': {
          const own = plan.kind === 'appends' ? plan : plan.of;
          const result = results.get(own)!;
          job.resolve({
            ok: true,
            replayed: plan.kind === 'repeats' || (appended?.replayed ?? false),
            state: own.state,
            result: { ...result, events: [...result.events], created },
          });
          break;
        }
      }
    }
  }
}

/** The answer to a command whose events are already in the stream: the original result again. */
function replayedOutcome(
  loaded: LoadedStream,
  meta: CommandMeta,
  applied: { streamVersion: number; position: number; events: readonly { id: string; type: string }[] },
): CommandOutcome {
  return {
    ok: true,
    replayed: true,
    state: loaded.state,
    result: {
      commandId: meta.commandId,
      streamId: loaded.streamId,
      ...applied,
      events: [...applied.events],
      created: meta.created ?? {},
    },
  };
}

/** The commands of a batch judged on the states read (decided, not found in the stream), with what they read. */
function judgedOf(plans: readonly Plan[]): { job: Job; read: FactsRead }[] {
  return plans.flatMap((plan) => ('read' in plan && plan.read ? [{ job: plan.job, read: plan.read }] : []));
}

/**
 * The streams the judged commands of a batch read, each at the version read: their facts' streams and the
 * streams their actors' roles came from. A role's version goes first: if a fact of the same stream was read
 * later at a newer one, the stream moved since the role was read, and the role must be read again.
 */
function checksOf(plans: readonly Plan[]): Map<string, number> {
  const judged = judgedOf(plans);
  const checks = new Map<string, number>();
  for (const { job } of judged) {
    for (const at of job.meta.roleBasis ?? [])
      if (!checks.has(at.streamId)) checks.set(at.streamId, at.version);
  }
  for (const { read } of judged)
    for (const [id, version] of read) if (!checks.has(id)) checks.set(id, version);
  return checks;
}

/** The streams the roles of a batch's judged commands were read from. */
function roleStreams(plans: readonly Plan[]): Set<string> {
  return new Set(judgedOf(plans).flatMap(({ job }) => (job.meta.roleBasis ?? []).map((at) => at.streamId)));
}
