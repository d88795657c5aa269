import type { EventStore, RecordedEvent } from '@concord/event-store';
import { type AuditEntry, type ViewChange, viewChangeKey } from '@concord/projections';
import type { FastifyBaseLogger } from 'fastify';
import type { ReadSide } from '../read-side.ts';

/** What the live feed forwards: audit-trail entries in global order, and the views they changed. */
export interface LiveBatch {
  readonly entries: readonly AuditEntry[];
  readonly changes: readonly ViewChange[];
  /** Global position of the last entry. */
  readonly position: number;
}

/** Where an instance learns that the read models moved on. */
export interface LiveSource {
  /** Starts delivering batches, in order, each once, as the read models include them. */
  start(listener: (batch: LiveBatch) => void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The audit-trail entries after `after` up to `upTo` from the read models, and the views the events at
 * those positions changed (read from the store). Entries and checkpoint commit together, batch after
 * batch, so the entries read are a prefix of the global order.
 */
async function readRange(
  readSide: ReadSide,
  store: EventStore,
  after: number,
  upTo: number,
  pageSize: number,
): Promise<LiveBatch | null> {
  const entries: AuditEntry[] = [];
  for (let from = after; from < upTo; ) {
    const page = await readSide.models.auditTrail({ after: from, limit: pageSize });
    const within = page.entries.filter((entry) => entry.position <= upTo);
    entries.push(...within);
    if (within.length < page.entries.length || page.next === null || within.length === 0) break;
    // At most a few pages at a time: the caller asks again from where this one ends.
    if (entries.length >= pageSize * 4) break;
    from = within[within.length - 1]!.position;
  }
  if (entries.length === 0) return null;
  const last = entries[entries.length - 1]!.position;
  const events: RecordedEvent[] = [];
  for (let from = after; from < last; ) {
    const page = await store.readAll({ after: from, limit: pageSize });
    if (page.length === 0) break;
    events.push(...page.filter((event) => event.globalPosition <= last));
    from = page[page.length - 1]!.globalPosition;
  }
  return { entries, changes: changesOfEvents(events), position: last };
}

/**
 * The instance that runs the projector: every committed batch, with the projector's exact `changes`. The
 * projector calls its listeners after the batch's transaction commits, so a read of the audit trail
 * started after a batch was announced always sees it. When the checkpoint moved under the projector
 * between two batches (a rebuild was swapped in, or a second projector ran), the events it did not apply
 * itself are never announced: the jump in the event count shows it, and what was missed is read from the
 * read models before the batch goes on.
 */
export function projectorSource(
  readSide: ReadSide,
  store: EventStore,
  options: { logger?: FastifyBaseLogger; pageSize?: number; checkIntervalMs?: number } = {},
): LiveSource {
  const pageSize = options.pageSize ?? 500;
  let unsubscribe: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  return {
    async start(listener) {
      const progress = readSide.progress();
      if (!progress) throw new Error('No projector runs in this process: follow the read models instead.');
      let position = progress.position;
      let events = progress.events;
      let chain: Promise<void> | null = null;
      const later = (work: () => Promise<void>) => {
        const next: Promise<void> = (chain ?? Promise.resolve())
          .then(work)
          .catch((error: unknown) => options.logger?.error({ err: error }, 'live feed: catching up failed'))
          .finally(() => {
            if (chain === next) chain = null;
          });
        chain = next;
      };
      unsubscribe = readSide.onBatch((batch) => {
        const now = readSide.progress();
        if (batch.events.length === 0 || !now) return;
        const last = batch.events[batch.events.length - 1]!.globalPosition;
        const contiguous = now.events === events + batch.events.length;
        const from = position;
        position = last;
        events = now.events;
        if (contiguous && chain === null) {
          if (batch.audit.length > 0)
            listener({ entries: batch.audit, changes: batch.changes, position: last });
          return;
        }
        if (contiguous) {
          const audit = batch.audit;
          later(async () => {
            if (audit.length > 0) listener({ entries: audit, changes: batch.changes, position: last });
          });
          return;
        }
        fill(from, last);
      });
      // The checkpoint may also move with no batch after it (the other writer applied everything): the
      // projector's position jumps without a batch, so look for that too.
      timer = setInterval(() => {
        const now = readSide.progress();
        if (!now || now.position <= position) return;
        const from = position;
        position = now.position;
        events = now.events;
        fill(from, now.position);
      }, options.checkIntervalMs ?? 250);
      timer.unref();

      function fill(from: number, to: number): void {
        options.logger?.info({ from, to }, 'live feed: the checkpoint moved; reading the missed entries');
        later(async () => {
          for (let after = from; after < to; ) {
            const missed = await readRange(readSide, store, after, to, pageSize);
            if (!missed) break;
            listener(missed);
            after = missed.position;
          }
        });
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}

const CHARTER_EVENTS = new Set([
  'CoalitionFounded',
  'DecisionRulesChanged',
  'SharedValuesRevised',
  'SopAdopted',
  'SopRetired',
]);

/**
 * The views an event may have changed, read from the ids its data names (and the charter's event types).
 * A superset of what the projector reports for the same events (a test holds it to that): followers,
 * which don't run the projector, send these.
 */
export function changesOfEvents(events: readonly RecordedEvent[]): ViewChange[] {
  const changes = new Map<string, ViewChange>();
  const add = (change: ViewChange) => changes.set(viewChangeKey(change), change);
  for (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    if (CHARTER_EVENTS.has(event.type)) add({ view: 'charter', id: 'charter' });
    const execution = data.execution as { proposalId?: unknown } | undefined;
    const proposalId = text(data.proposalId) ?? text(execution?.proposalId);
    if (proposalId) add({ view: 'proposal', id: proposalId });
    const budgetId = text(data.budgetId);
    if (budgetId) {
      add({ view: 'budget', id: budgetId });
      const lineId = text(data.lineId);
      if (lineId) add({ view: 'budgetLine', id: lineId, budgetId });
      const questionId = text(data.questionId);
      if (questionId) add({ view: 'budgetQuestion', id: questionId, budgetId });
    }
    const groupId = text(data.groupId);
    if (groupId) add({ view: 'workingGroup', id: groupId });
    const organizationId = text(data.organizationId);
    if (organizationId) add({ view: 'member', id: organizationId });
    const grantCallId = text(data.grantCallId);
    if (grantCallId) add({ view: 'grantCall', id: grantCallId });
  }
  return [...changes.values()];
}

/**
 * An instance that does not run the projector (`PROJECTOR=off`, read models shared in PostgreSQL): it
 * watches the projector's checkpoint and, when it moves, reads the new audit-trail entries (a prefix of
 * the global order: the projector commits entries and checkpoint together, batch after batch) and the
 * events at the same positions from the store, for the views they changed.
 */
export function followerSource(options: {
  readSide: ReadSide;
  store: EventStore;
  logger?: FastifyBaseLogger;
  pollIntervalMs?: number;
  pageSize?: number;
}): LiveSource {
  const { readSide, store } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const pageSize = options.pageSize ?? 500;
  let stopped = true;
  let loop: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;

  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, pollIntervalMs);
    });

  async function follow(listener: (batch: LiveBatch) => void, from: number): Promise<void> {
    let position = from;
    let failures = 0;
    while (!stopped) {
      try {
        const projected = await readSide.position();
        while (!stopped && projected > position) {
          const batch = await readRange(readSide, store, position, projected, pageSize);
          if (!batch || stopped) break;
          listener(batch);
          position = batch.position;
        }
        failures = 0;
      } catch (error) {
        failures++;
        options.logger?.warn(
          { err: error, failures },
          'live feed: following the read models failed; retrying',
        );
      }
      if (!stopped) await sleep();
    }
  }

  return {
    async start(listener) {
      stopped = false;
      const from = await readSide.position();
      loop = follow(listener, from);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      loop = null;
    },
  };
}
