import {
  checkEffects,
  type EffectProblem,
  type EffectReport,
  effectReport,
  finishEffects,
  initialEffectCheck,
  type StoredHistoryEvent,
} from '@concord/domain';
import type { EventStore, RecordedEvent, Subscription, VerifyResult } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import type { AttachmentStore } from '../attachments/store.ts';
import {
  type AttachmentReport,
  describeAttachmentProblem,
  verifyAttachments,
} from '../attachments/verify.ts';
import type { Metrics } from '../metrics.ts';
import { Follower } from '../process/follower.ts';

/** A stored event as the domain's effect check reads it. */
export function toHistoryEvent(event: RecordedEvent): StoredHistoryEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    position: event.globalPosition,
    data: event.data,
    metadata: event.metadata,
  };
}

/**
 * Every effect in the store checked against the adopted decision it cites, up to the head when called:
 * read page by page, so memory holds the aggregates' states, never the history.
 */
export async function verifyStoreEffects(store: EventStore, pageSize = 1000): Promise<EffectReport> {
  const head = await store.head();
  const check = initialEffectCheck();
  for (let after = 0; after < head; ) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      if (event.globalPosition > head) break;
      checkEffects(check, toHistoryEvent(event));
    }
    after = page.at(-1)?.globalPosition ?? head;
  }
  finishEffects(check);
  return effectReport(check);
}

/** What the read side tells members about bad effects (the status route's `effects`). */
export interface EffectAlarm {
  readonly checked: number;
  readonly problemCount: number;
  readonly firstProblem: EffectProblem | null;
}

/**
 * The effect check beside the projector: it follows the whole history (the check needs every stream's
 * state, so it starts from the first event, not from a checkpoint) and, at the first sight of a bad
 * effect, logs it at error level and counts it (`concord_effect_problems_total`); `alarm()` is what
 * the status route shows members, so the portal can warn them.
 */
export class EffectWatch extends Follower {
  readonly #check = initialEffectCheck();
  #subscription: Subscription | undefined;

  constructor(private readonly o: { store: EventStore; logger: FastifyBaseLogger; metrics: Metrics }) {
    super();
  }

  /** Starts following the store (from its first event). */
  start(): void {
    this.#subscription = this.o.store.subscribe({ after: this.position, batchSize: 1000 }, (event) =>
      this.#see(event),
    );
    this.#subscription.done.catch((error) => {
      this.o.logger.error({ err: error }, 'the effect check stopped');
    });
  }

  async stop(): Promise<void> {
    await this.#subscription?.close();
    this.#subscription = undefined;
  }

  alarm(): EffectAlarm {
    const report = effectReport(this.#check);
    return {
      checked: this.position,
      problemCount: report.problemCount,
      firstProblem: report.firstProblem,
    };
  }

  #see(event: RecordedEvent): void {
    for (const problem of checkEffects(this.#check, toHistoryEvent(event))) {
      this.o.metrics.effectProblems.inc({ kind: problem.kind });
      this.o.logger.error(
        { effectProblem: problem },
        `a decision's effect is ${problem.kind}: ${problem.type} at position ${problem.position} (${problem.reason})`,
      );
    }
    this.reached(event.globalPosition);
  }
}

type ChainProblem = Extract<VerifyResult, { ok: false }>['firstBad'];

/**
 * The store's verification with its effects and documents checked: the chain first; effects and
 * documents only on an intact chain. A cited document missing or altered fails the verification, naming
 * the first event that cites it (`attachment_missing`, `attachment_altered`).
 */
export type Verification =
  | (Extract<VerifyResult, { ok: true }> & { effects: EffectReport; attachments: AttachmentReport | null })
  | {
      ok: false;
      events: number;
      firstBad: Omit<ChainProblem, 'problem'> & {
        problem: ChainProblem['problem'] | 'attachment_missing' | 'attachment_altered';
      };
      effects: EffectReport | null;
      attachments: AttachmentReport | null;
    };

/**
 * `GET /api/audit/verification` and `concord verify`: every hash, then every effect against its decision,
 * then every cited document against its bytes (when `documents` are given). A broken chain is reported
 * alone, since effects recomputed from a rewritten history prove nothing.
 */
export async function verifyWithEffects(
  store: EventStore,
  documents?: AttachmentStore,
): Promise<Verification> {
  const chain = await store.verify();
  if (!chain.ok) return { ...chain, effects: null, attachments: null };
  const effects = await verifyStoreEffects(store);
  const attachments = documents ? await verifyAttachments(store, documents) : null;
  const first = attachments?.problems[0];
  if (!first) return { ...chain, effects, attachments };
  return {
    ok: false,
    events: chain.events,
    firstBad: {
      streamId: first.streamId,
      streamPosition: first.streamPosition,
      globalPosition: first.globalPosition,
      problem: first.problem,
      detail: describeAttachmentProblem(first),
    },
    effects,
    attachments,
  };
}
