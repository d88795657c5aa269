import { citedAttachments } from '@concord/domain';
import type { EventStore, RecordedEvent } from '@concord/event-store';
import type { AttachmentStore } from './store.ts';

/** A cited document whose bytes are not as the event says: gone, or not hashing to its SHA-256. */
export interface AttachmentProblem {
  sha256: string;
  problem: 'attachment_missing' | 'attachment_altered';
  /** The first event citing it. */
  eventId: string;
  type: string;
  streamId: string;
  streamPosition: number;
  globalPosition: number;
}

/** Every document the history cites, checked against its stored bytes. */
export interface AttachmentReport {
  ok: boolean;
  /** Distinct documents checked. */
  documents: number;
  /** Citations seen (a document cited twice counts twice). */
  citations: number;
  problemCount: number;
  /** The first problems, in history order. */
  problems: AttachmentProblem[];
}

const KEPT_PROBLEMS = 20;

/**
 * Walks every event up to the store's head, page by page, and checks each document it cites once: stored,
 * of the size cited, and hashing to its SHA-256 (recomputed from the bytes). A missing or altered document
 * is reported with the first event citing it.
 */
export async function verifyAttachments(
  store: EventStore,
  documents: AttachmentStore,
  pageSize = 1000,
): Promise<AttachmentReport> {
  const head = await store.head();
  const checked = new Map<string, boolean>();
  const problems: AttachmentProblem[] = [];
  let problemCount = 0;
  let citations = 0;
  const see = async (event: RecordedEvent) => {
    for (const ref of citedAttachments({ type: event.type, data: event.data })) {
      citations++;
      const key = `${ref.sha256}/${ref.size}`;
      if (checked.has(key)) continue;
      const state = await documents.check(ref.sha256, ref);
      checked.set(key, state === 'ok');
      if (state === 'ok') continue;
      problemCount++;
      if (problems.length < KEPT_PROBLEMS) {
        problems.push({
          sha256: ref.sha256,
          problem: state === 'missing' ? 'attachment_missing' : 'attachment_altered',
          eventId: event.id,
          type: event.type,
          streamId: event.streamId,
          streamPosition: event.streamPosition,
          globalPosition: event.globalPosition,
        });
      }
    }
  };
  for (let after = 0; after < head; ) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      if (event.globalPosition > head) break;
      await see(event);
    }
    after = page.at(-1)?.globalPosition ?? head;
  }
  return { ok: problemCount === 0, documents: checked.size, citations, problemCount, problems };
}

/** One line naming a problem: which document, what is wrong, and the event citing it. */
export function describeAttachmentProblem(problem: AttachmentProblem): string {
  const what = problem.problem === 'attachment_missing' ? 'is missing' : 'does not hash to its SHA-256';
  return (
    `document ${problem.sha256} ${what}; cited by ${problem.type} (event ${problem.eventId}, stream ` +
    `${problem.streamId} position ${problem.streamPosition}, global position ${problem.globalPosition})`
  );
}
