import {
  type AttachmentDb,
  type AttachmentReport,
  AttachmentStore,
  describeAttachmentProblem,
  verifyAttachments,
} from '@concord/api/attachments';
import { verifyStoreEffects } from '@concord/api/effects';
import type { EffectReport } from '@concord/domain';
import { KyselyTreeStorage, TransparencyLog, toBase64 } from '@concord/transparency';
import { sql } from 'kysely';
import type { Target } from '../context.ts';
import { EXIT } from '../errors.ts';
import type { Output } from '../io.ts';

/** Whether the target's database has `table` (schema-qualified); false where it cannot even say. */
async function hasTable(target: Target, table: string): Promise<boolean> {
  try {
    const found = await sql<{
      table: string | null;
    }>`SELECT to_regclass(${sql.lit(table)})::text AS table`.execute(target.db);
    return Boolean(found.rows[0]?.table);
  } catch {
    return false;
  }
}

/** The witnessed log kept beside the store, if the server kept one (opened without migrating anything). */
async function witnessedLog(target: Target): Promise<TransparencyLog | undefined> {
  if (!(await hasTable(target, 'transparency.state'))) return undefined;
  return TransparencyLog.fromStorage(new KyselyTreeStorage(target.db, 'transparency'));
}

/** The documents the server keeps beside the history (none where the database has no such table). */
export async function documentsOf(target: Target): Promise<AttachmentStore | undefined> {
  if (!(await hasTable(target, 'api.attachments'))) return undefined;
  return new AttachmentStore(target.db as unknown as AttachmentDb);
}

/**
 * `concord verify`: walks every event's hash chain; ok with the head hash, or the first bad event. Where
 * the server kept a witnessed log, its tree is recomputed from the events too: a history rewritten with
 * every hash recomputed passes the chain but not this (ADR 0009). Last, every effect of a decision is
 * recomputed from the adopted decision it cites: an event appended with a valid hash but never decided
 * fails here (docs/verification.md §1.7).
 */
export async function verify(target: Target, out: Output) {
  const result = await target.store.verify();
  if (!result.ok) {
    const bad = result.firstBad;
    out.write(
      `TAMPERED: first bad event: stream ${bad.streamId} position ${bad.streamPosition}` +
        `${bad.globalPosition === null ? '' : ` (global position ${bad.globalPosition})`}: ${bad.problem}: ${bad.detail}\n`,
    );
    return EXIT.failed;
  }
  const log = await witnessedLog(target);
  const audit = log ? await log.audit(target.store) : undefined;
  if (audit && !audit.ok) {
    out.write(
      `TAMPERED: the witnessed log no longer matches the events: its ${audit.size} leaves have root ${toBase64(audit.root)}, ` +
        `the first ${audit.size} events make ${audit.recomputed ? toBase64(audit.recomputed) : `no such tree (${audit.sourceLeaves} events)`}: ` +
        `events were rewritten after they were logged (every checkpoint a witness holds shows which)\n`,
    );
    return EXIT.failed;
  }
  const effects = await verifyStoreEffects(target.store);
  if (!effects.ok) {
    out.write(effectsTampered(effects));
    return EXIT.failed;
  }
  // Last, every document an event cites: stored, and hashing to the SHA-256 the event holds (ADR 0025).
  const documents = await documentsOf(target);
  const attachments: AttachmentReport | undefined = documents
    ? await verifyAttachments(target.store, documents)
    : undefined;
  const firstBadDocument = attachments?.problems[0];
  if (attachments && firstBadDocument) {
    out.write(
      `TAMPERED: ${attachments.problemCount} cited document${attachments.problemCount === 1 ? '' : 's'} ` +
        `missing or altered; first: ${describeAttachmentProblem(firstBadDocument)}\n`,
    );
    return EXIT.failed;
  }
  out.write(
    `ok: ${result.events} events verified; head position ${result.headPosition}; head hash ${result.headHash}` +
      `${audit ? `; witnessed log of ${audit.size} events matches them (root ${toBase64(audit.root)})` : ''}` +
      `; ${effects.effects} effects of ${effects.decisions} adopted decisions match them` +
      `${attachments ? `; ${attachments.documents} cited documents match their SHA-256` : ''}\n`,
  );
  return EXIT.ok;
}

/** The line naming the first bad effect (the chain is intact: the events are as written, not as decided). */
export function effectsTampered(effects: EffectReport): string {
  return `TAMPERED: ${effectProblems(effects)}\n`;
}

/** How many effects do not match their decisions, and the first of them (for `verify` with and without a database). */
export function effectProblems(effects: EffectReport): string {
  const first = effects.firstProblem;
  if (!first) return '';
  const decision = first.decisionEventId === null ? 'no decision' : `decision ${first.decisionEventId}`;
  return (
    `${effects.problemCount} effect${effects.problemCount === 1 ? '' : 's'} of decisions do not match them; ` +
    `first bad event: global position ${first.position} (event ${first.eventId}, stream ${first.streamId}): ` +
    `${first.kind} ${first.type} citing ${decision}: ${first.reason}`
  );
}
