import { deciderFor } from '../aggregates.ts';
import { type DomainCommand, streamIdForCommand } from '../commands.ts';
import type { Decider } from '../decider.ts';
import { type DomainError, isDomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import { eventSchemaVersions } from '../events.ts';
import { sameValue } from '../shared/equality.ts';
import { type AggregateName, streamIdFor } from '../streams.ts';
import { upcast } from '../upcasting.ts';
import type { WorkingGroupState } from '../working-group/decider.ts';
import { workingGroupFacts } from '../working-group/facts.ts';
import { executionCommandsFor, executionFailureCommandFor, type StoredDecision } from './execution.ts';

/** One stored event as the effect check reads it: what the store records, nothing more. */
export interface StoredHistoryEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  /** The event's global position (the order the check must be fed in). */
  readonly position: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** What is wrong with an effect: never written, written differently, or written without a cause. */
export type EffectProblemKind = 'missing' | 'altered' | 'extra';

/** A bad effect, named by the event where it shows (for `missing`: where the decision's run ended). */
export interface EffectProblem {
  readonly kind: EffectProblemKind;
  readonly position: number;
  readonly eventId: string;
  /** The event's type; for `missing`, the type of the event that should have been written. */
  readonly type: string;
  readonly streamId: string;
  /** The decision the effect cites or should have come from; null when it cites none. */
  readonly decisionEventId: string | null;
  readonly reason: string;
}

/** The result of checking effects against decisions so far. */
export interface EffectReport {
  readonly ok: boolean;
  /** Adopted decisions seen. */
  readonly decisions: number;
  /** Events checked as effects of a decision. */
  readonly effects: number;
  readonly firstProblem: EffectProblem | null;
  /** At most `MAX_LISTED_PROBLEMS`, in history order; `problemCount` counts all. */
  readonly problems: readonly EffectProblem[];
  readonly problemCount: number;
}

/** A report lists this many problems; one forgery can make many, and the first is the one to read. */
export const MAX_LISTED_PROBLEMS = 100;

/**
 * System processes that write events for something other than an adopted decision: the founding
 * admissions, forgetting a person, the log's key, the decision scheduler (it writes decisions, not
 * effects) and data migrations. Their events are not effects; any other system event must cite one.
 */
export const NON_DECISION_PROCESSES: readonly string[] = [
  'founding',
  'forgetting',
  'witnessed-log',
  'decision-scheduler',
  'check-in-schedule',
  'personal-data-migration',
];

interface Group {
  readonly streamId: string;
  readonly commandId: string;
  readonly decisionEventId: string;
  readonly expected: DomainEvent[];
  next: number;
  last: StoredHistoryEvent;
}

interface Run {
  readonly decided: StoredDecision;
  /** The (type, stream) of each command `executionCommandsFor` gives, in order; the last records the run. */
  readonly steps: readonly { type: string; streamId: string }[];
  readonly seen: Set<number>;
  /** The event that recorded the run's end (`ProposalExecuted` or `ProposalExecutionFailed`), once seen. */
  end: StoredHistoryEvent | null;
  /** Events a command of the run wrote too few of: the last event it did write, and the type lacking. */
  readonly short: { after: StoredHistoryEvent; type: string }[];
}

/**
 * The state of an effect check, fed one event at a time in global order (`checkEffects`). It holds every
 * stream's folded state (the deciders need it to recompute effects), the adopted decisions and what each
 * one's execution wrote so far. Mutable on purpose: the projector keeps one for the whole history.
 */
export interface EffectCheck {
  readonly states: Map<string, unknown>;
  /** The global position of each stream's last event so far. */
  readonly lastPositions: Map<string, number>;
  readonly runs: Map<string, Run>;
  /** Decisions seen that were not adopted: citing them is extra, with a clearer reason. */
  readonly notAdopted: Set<string>;
  group: Group | null;
  effects: number;
  problemCount: number;
  readonly problems: EffectProblem[];
  /** The problem at the lowest position (found in order, except missing ones: at the end). */
  first: EffectProblem | null;
}

/** A fresh check, before the first event. */
export function initialEffectCheck(): EffectCheck {
  return {
    states: new Map(),
    lastPositions: new Map(),
    runs: new Map(),
    notAdopted: new Set(),
    group: null,
    effects: 0,
    problemCount: 0,
    problems: [],
    first: null,
  };
}

type AnyDecider = Decider<DomainCommand, DomainEvent, unknown>;

// Which aggregate a stream belongs to, from the one table of stream names (so a new aggregate cannot be
// left out): the singletons by name, the others by the prefix before their id.
const streamNames = Object.entries(streamIdFor) as [AggregateName, (id: string) => string][];
const singletons: Record<string, AggregateName> = Object.fromEntries(
  streamNames.filter(([, name]) => name.length === 0).map(([aggregate, name]) => [name(''), aggregate]),
);
const prefixes = streamNames
  .filter(([, name]) => name.length === 1)
  .map(([aggregate, name]) => [aggregate, name('')] as [AggregateName, string]);

function aggregateOfStream(streamId: string): AggregateName | null {
  return singletons[streamId] ?? prefixes.find(([, prefix]) => streamId.startsWith(prefix))?.[0] ?? null;
}

function deciderOf(streamId: string): AnyDecider | null {
  const aggregate = aggregateOfStream(streamId);
  return aggregate ? deciderFor(aggregate) : null;
}

function stateOf(check: EffectCheck, streamId: string): unknown {
  return check.states.get(streamId) ?? deciderOf(streamId)?.initialState();
}

/** The event read as the current shape of its type, or null when it does not read as one. */
function readEvent(event: Pick<StoredHistoryEvent, 'type' | 'data' | 'metadata'>): DomainEvent | null {
  const recorded = event.metadata.schemaVersion;
  const version =
    typeof recorded === 'number' ? recorded : (eventSchemaVersions as Record<string, number>)[event.type];
  try {
    return upcast(event.type, version ?? 1, event.data);
  } catch {
    return null;
  }
}

/** The decision an event cites: the `execution` in its data (or its basis), else its causation. */
function citedDecision(event: StoredHistoryEvent): { id: string; inData: boolean } | null {
  const data = (event.data ?? {}) as { execution?: { decisionEventId?: unknown }; basis?: unknown };
  const basis = (data.basis ?? {}) as { execution?: { decisionEventId?: unknown } };
  const inData = data.execution?.decisionEventId ?? basis.execution?.decisionEventId;
  if (typeof inData === 'string') return { id: inData, inData: true };
  const causation = event.metadata.causationId;
  return typeof causation === 'string' ? { id: causation, inData: false } : null;
}

function systemProcessOf(event: StoredHistoryEvent): string | null {
  const actor = event.metadata.actor as { role?: unknown; personId?: unknown } | undefined;
  if (actor?.role !== 'system' || typeof actor.personId !== 'string') return null;
  return actor.personId.startsWith('system:') ? actor.personId.slice('system:'.length) : actor.personId;
}

/** Whether an event claims to be an effect of a decision (and so must be one). */
function claimsEffect(event: StoredHistoryEvent): boolean {
  const process = systemProcessOf(event);
  if (process !== null) return !NON_DECISION_PROCESSES.includes(process);
  return citedDecision(event)?.inData === true;
}

function report(check: EffectCheck, problem: EffectProblem): EffectProblem {
  check.problemCount++;
  if (check.problems.length < MAX_LISTED_PROBLEMS) check.problems.push(problem);
  if (check.first === null || problem.position < check.first.position) check.first = problem;
  return problem;
}

function problemAt(
  event: StoredHistoryEvent,
  kind: EffectProblemKind,
  decisionEventId: string | null,
  reason: string,
  type = event.type,
): EffectProblem {
  return {
    kind,
    position: event.position,
    eventId: event.id,
    type,
    streamId: event.streamId,
    decisionEventId,
    reason,
  };
}

/** The command with the facts it is decided on, read from the folded states as the API reads them. */
function withContext(check: EffectCheck, command: DomainCommand): DomainCommand {
  if (command.type !== 'ExecuteBudgetChange') return command;
  const groupId = command.decidedBy?.type === 'workingGroup' ? command.decidedBy.groupId : null;
  const group = groupId === null ? null : stateOf(check, streamIdFor.workingGroup(groupId));
  return {
    ...command,
    context: { decidingGroup: group ? workingGroupFacts(group as WorkingGroupState) : null },
  };
}

/** What the deciders make of `command` on the current state of its stream. */
function recompute(check: EffectCheck, command: DomainCommand): DomainEvent[] | DomainError {
  const streamId = streamIdForCommand(command);
  const decider = deciderOf(streamId);
  if (!decider) return [];
  const decided = decider.decide(withContext(check, command), stateOf(check, streamId));
  // As stored and read back: the same normalisation the actual events get.
  return isDomainError(decided)
    ? decided
    : decided.map((event) => readEvent({ ...event, metadata: {} }) ?? event);
}

/**
 * Ends the current command's events. Any it should still have written are missing once its run has
 * ended (`finishEffects`): a history read up to a position, or generated in bulk, may cut a run short.
 */
function closeGroup(check: EffectCheck): EffectProblem[] {
  const group = check.group;
  check.group = null;
  const run = group ? check.runs.get(group.decisionEventId) : undefined;
  if (!group || !run) return [];
  for (const expected of group.expected.slice(group.next))
    run.short.push({ after: group.last, type: expected.type });
  return [];
}

/** Opens the command of `run` that wrote `event` (first event of its append), or explains why none did. */
function openGroup(check: EffectCheck, run: Run, event: StoredHistoryEvent, now: string): Group | string {
  const commandType = event.metadata.commandType;
  const candidates = run.steps.flatMap((step, index) =>
    step.streamId === event.streamId && !run.seen.has(index) ? [{ ...step, index }] : [],
  );
  const step = candidates.find((candidate) => candidate.type === commandType) ?? candidates[0];
  if (!step) return 'the decision has no further effect on this stream';
  const command =
    event.type === 'ProposalExecutionFailed'
      ? failureCommand(run, event, now)
      : commandAt(run, step.index, now);
  if (!command) return 'the decision has no such effect';
  const expected = recompute(check, command);
  if (isDomainError(expected)) return `the decision's ${command.type} is refused here (${expected.code})`;
  if (event.type !== 'ProposalExecutionFailed') run.seen.add(step.index);
  else run.seen.add(run.steps.length - 1);
  const commandId = typeof event.metadata.commandId === 'string' ? event.metadata.commandId : event.id;
  return {
    streamId: event.streamId,
    commandId,
    decisionEventId: run.decided.id,
    expected,
    next: 0,
    last: event,
  };
}

function commandAt(run: Run, index: number, now: string): DomainCommand | undefined {
  return executionCommandsFor(run.decided, now)[index];
}

function failureCommand(run: Run, event: StoredHistoryEvent, now: string): DomainCommand {
  const failure = (event.data as { failure?: { code?: unknown; message?: unknown } }).failure ?? {};
  const error = { code: String(failure.code), message: String(failure.message) } as DomainError;
  return executionFailureCommandFor(run.decided, error, now);
}

/**
 * When a run ends: every command of the run not seen must have had nothing to write. Recomputed on the
 * states just before the run's end event, which the process step writes after all of the run's commands
 * (one after the other, each awaited): later events may change those states (a working group's mandate
 * moving on, money spent), and a command refused then may fit at the end of the history. A failed run
 * stops at the first refusal.
 */
function unseenEffects(
  check: EffectCheck,
  run: Run,
  event: StoredHistoryEvent,
  now: string,
): EffectProblem[] {
  const failed = event.type === 'ProposalExecutionFailed';
  const commands = executionCommandsFor(run.decided, now).slice(0, -1);
  const problems: EffectProblem[] = [];
  for (const [index, command] of commands.entries()) {
    if (run.seen.has(index)) continue;
    const expected = recompute(check, command);
    if (isDomainError(expected)) {
      if (failed) break;
      continue;
    }
    for (const missing of expected) {
      const reason = `the decision's ${command.type} was never written`;
      problems.push(report(check, problemAt(event, 'missing', run.decided.id, reason, missing.type)));
    }
  }
  return problems;
}

function fold(check: EffectCheck, event: StoredHistoryEvent, read: DomainEvent | null): void {
  check.lastPositions.set(event.streamId, event.position);
  const decider = deciderOf(event.streamId);
  if (!decider || !read) return;
  try {
    check.states.set(event.streamId, decider.evolve(stateOf(check, event.streamId), read));
  } catch {
    // Evolve trusts what deciders wrote; a forged event may not fit its stream. The state stays as it was:
    // the event is already reported when it claims a decision, and the chain is not this check's concern.
  }
}

function rememberDecision(check: EffectCheck, event: StoredHistoryEvent, read: DomainEvent): void {
  if (read.type !== 'ProposalDecided') return;
  if (read.data.outcome !== 'adopted') {
    check.notAdopted.add(event.id);
    return;
  }
  const decided: StoredDecision = { ...read, id: event.id };
  const steps = executionCommandsFor(decided, read.data.at).map((command) => ({
    type: command.type,
    streamId: streamIdForCommand(command),
  }));
  check.runs.set(event.id, { decided, steps, seen: new Set(), end: null, short: [] });
}

/** Checks one effect event against the decision it cites. */
function checkEffect(
  check: EffectCheck,
  event: StoredHistoryEvent,
  read: DomainEvent | null,
): EffectProblem[] {
  check.effects++;
  const cited = citedDecision(event);
  const decisionEventId = cited?.id ?? null;
  const extra = (reason: string) => [report(check, problemAt(event, 'extra', decisionEventId, reason))];
  const run = decisionEventId === null ? undefined : check.runs.get(decisionEventId);
  if (!run) {
    const why =
      decisionEventId !== null && check.notAdopted.has(decisionEventId)
        ? 'a decision not adopted'
        : 'no adopted decision';
    return [...closeGroup(check), ...extra(`written by the system for ${why}`)];
  }
  if (!read)
    return [...closeGroup(check), ...report1(check, event, 'altered', run, 'not a valid event of its type')];
  const commandId = typeof event.metadata.commandId === 'string' ? event.metadata.commandId : event.id;
  const group = check.group;
  const continues =
    group !== null &&
    group.streamId === event.streamId &&
    group.commandId === commandId &&
    group.decisionEventId === run.decided.id;
  const problems: EffectProblem[] = [];
  if (!continues) {
    problems.push(...closeGroup(check));
    const opened = openGroup(check, run, event, read.data.at);
    if (typeof opened === 'string') return [...problems, ...extra(opened)];
    check.group = opened;
  }
  const current = check.group as Group;
  current.last = event;
  const expected = current.expected[current.next++];
  if (!expected) return [...problems, ...extra("more events than the decision's command writes")];
  if (expected.type !== read.type || !sameValue(expected.data, read.data)) {
    const reason = `the decision requires ${expected.type} ${JSON.stringify(expected.data)}`;
    problems.push(...report1(check, event, 'altered', run, reason));
  }
  if (read.type === 'ProposalExecuted' || read.type === 'ProposalExecutionFailed') {
    run.end = event;
    problems.push(...unseenEffects(check, run, event, read.data.at));
  }
  return problems;
}

function report1(
  check: EffectCheck,
  event: StoredHistoryEvent,
  kind: EffectProblemKind,
  run: Run,
  reason: string,
): EffectProblem[] {
  return [report(check, problemAt(event, kind, run.decided.id, reason))];
}

/**
 * Feeds one event (in global order) to the check and answers the problems it reveals, usually none.
 *
 * Every effect — an event written by the decision-execution step, or any event whose data cites an
 * `execution` — is recomputed from the adopted `ProposalDecided` it cites, with `executionCommandsFor`
 * and the aggregate's decider on the stream's state just before it: the rule lives in one place. An
 * event differing from the recomputed one is `altered`; one no adopted decision accounts for (or beyond
 * what its command writes, or twice) is `extra`; a command of the decision its run never wrote although
 * it had something to write is `missing`, named at the run's end event (a run still in progress is never
 * missing); events cut from the middle of a command's append are named at the end (`finishEffects`).
 * Events of the system's other processes (`NON_DECISION_PROCESSES`) are not effects. The time
 * recomputed with is the event's own `at` (the process step's clock).
 */
export function checkEffects(check: EffectCheck, event: StoredHistoryEvent): EffectProblem[] {
  const read = readEvent(event);
  let problems: EffectProblem[] = [];
  if (claimsEffect(event)) problems = checkEffect(check, event, read);
  else if (check.group) problems = closeGroup(check);
  if (read) rememberDecision(check, event, read);
  fold(check, event, read);
  return problems;
}

/** The report so far; call after the last event (`finishEffects` first, for a complete history). */
export function effectReport(check: EffectCheck): EffectReport {
  return {
    ok: check.problemCount === 0,
    decisions: check.runs.size,
    effects: check.effects,
    firstProblem: check.first,
    problems: [...check.problems].sort((a, b) => a.position - b.position),
    problemCount: check.problemCount,
  };
}

/**
 * Ends the history: the last command's events, if short, are missing (a stream may end inside an append,
 * so only the end can tell). Answers the problems found. Call once.
 */
export function finishEffects(check: EffectCheck): EffectProblem[] {
  const problems = closeGroup(check);
  for (const run of check.runs.values()) {
    if (!run.end) continue;
    for (const { after, type } of run.short) {
      // A stream that ends on a short command may have been read or generated up to a position inside
      // it; a removed tail is the stream heads' to show (docs/verification.md §1.5).
      if ((check.lastPositions.get(after.streamId) ?? 0) <= after.position) continue;
      const reason = 'the decision requires this event after this one';
      problems.push(report(check, problemAt(after, 'missing', run.decided.id, reason, type)));
    }
  }
  return problems;
}

/** Checks a whole history at once (a convenience over `checkEffects`). */
export function verifyEffects(events: Iterable<StoredHistoryEvent>): EffectReport {
  const check = initialEffectCheck();
  for (const event of events) checkEffects(check, event);
  finishEffects(check);
  return effectReport(check);
}
