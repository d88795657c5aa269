// Drafting, opening and scheduling proposals: shared by the new-proposal forms and the proposal page.
import type { AttachmentRef } from '@concord/domain';
import { type ActionFailure, redirect } from '@sveltejs/kit';
import type { FormFailure } from '$lib/forms';
import { m } from '$lib/paraglide/messages.js';
import { type Problem, readOptional, readUntilShown, send } from './api';
import { uploadsOf } from './attachments';
import { invalid, type Posted, refused } from './forms';

type Fetch = typeof fetch;

/** Schedules the decision for the end of the feedback window: taken then, if the outcome allows. */
export async function scheduleAtWindowEnd(fetch: Fetch, proposalId: string): Promise<void> {
  // The window's end comes from the read models: once they show the proposal open (if they stay behind,
  // nothing is scheduled and the page offers "schedule" by hand).
  const proposal = await readUntilShown(
    () => readOptional(fetch, 'proposal', { proposalId }),
    (read) => read?.status !== 'draft',
  );
  if (!proposal?.feedbackEndsAt || proposal.status !== 'open') return;
  // Never in the past (refused): a window that has already passed (an urgent path of zero hours) is
  // decided a moment from now.
  const scheduledFor = new Date(Math.max(Date.parse(proposal.feedbackEndsAt), Date.now() + 2_000));
  const result = await send(fetch, 'scheduleDecision', {
    params: { proposalId },
    body: { scheduledFor: scheduledFor.toISOString() },
  });
  if (!result.ok) console.warn(`[portal] scheduling ${proposalId}: ${result.problem.code}`);
}

export interface Submission {
  title: string;
  body: string;
  payload: unknown;
  /** Open for feedback at once (else it stays a draft). */
  open: boolean;
  urgentReason: string | null;
  /** Schedule the decision for the end of the window. */
  autoDecide: boolean;
  key: string | null;
  /** The documents the proposal cites (uploaded first). */
  attachments?: AttachmentRef[];
}

export type Submitted =
  | { ok: true; proposalId: string; opened: boolean }
  | { ok: false; problem: Problem; step: 'draft' }
  | { ok: false; problem: Problem; step: 'open'; proposalId: string };

/**
 * Drafts a proposal and, when asked, opens it (and schedules its decision). Opening may be refused
 * (the urgent path not allowed, nobody eligible): the draft then stays, and the page says why.
 */
export async function submitProposal(fetch: Fetch, submission: Submission): Promise<Submitted> {
  const drafted = await send(fetch, 'draftProposal', {
    body: {
      title: submission.title,
      body: submission.body,
      payload: submission.payload,
      attachments: submission.attachments ?? [],
    },
    key: submission.key,
  });
  if (!drafted.ok) return { ok: false, problem: drafted.problem, step: 'draft' };
  const proposalId = String(drafted.body.created.proposalId ?? '');
  if (!submission.open) return { ok: true, proposalId, opened: false };
  const opened = await send(fetch, 'openProposal', {
    params: { proposalId },
    body: { urgentReason: submission.urgentReason },
    key: submission.key ? `${submission.key}:open` : null,
  });
  if (!opened.ok) return { ok: false, problem: opened.problem, step: 'open', proposalId };
  if (submission.autoDecide) await scheduleAtWindowEnd(fetch, proposalId);
  return { ok: true, proposalId, opened: true };
}

/**
 * Where to go after a submission: the proposal, or (when it was drafted but could not be opened) the
 * draft, which then says why it is still a draft. Null when nothing was drafted.
 */
function afterSubmission(result: Submitted): string | null {
  if (result.ok) return `/proposals/${result.proposalId}`;
  if (result.step === 'open') {
    return `/proposals/${result.proposalId}?not_opened=${encodeURIComponent(result.problem.code)}`;
  }
  return null;
}

/** Puts the API's validation issues about the text next to the title and body fields. */
function issueField(path: string): string | null {
  if (path.startsWith('title')) return 'title';
  if (path.startsWith('body')) return 'body';
  return null;
}

/**
 * What every new-proposal form asks besides its payload: title, body and how to open it. A missing
 * title, body or urgent reason is noted in `fields`.
 */
export function proposalText(posted: Posted, fields: Record<string, string>): Omit<Submission, 'payload'> {
  const title = posted.text('title');
  const body = posted.text('body');
  if (!title) fields.title = m.field_required();
  if (!body) fields.body = m.field_required();
  const urgent = posted.text('urgent') === 'yes';
  if (urgent && !posted.text('urgentReason')) fields.urgentReason = m.urgent_reason_required();
  return {
    title,
    body,
    open: posted.text('open') !== 'no',
    urgentReason: urgent ? posted.text('urgentReason') : null,
    autoDecide: posted.text('autoDecide') === 'yes',
    key: posted.key(),
  };
}

/**
 * Submits a new proposal from its form and goes to it; when the API refuses, answers the form with why
 * (`fieldOf` puts a refusal's code next to its field, as `refused` does).
 */
export async function proposeFromForm(
  fetch: Fetch,
  posted: Posted,
  submission: Submission,
  fieldOf: Record<string, string> = {},
): Promise<ActionFailure<FormFailure>> {
  const uploads = await uploadsOf(fetch, posted.data, 'attachments');
  if ('refused' in uploads) return invalid('propose', {}, posted, uploads.refused);
  const result = await submitProposal(fetch, { ...submission, attachments: uploads.documents });
  const next = afterSubmission(result);
  if (next) redirect(303, next);
  return refused(
    'propose',
    result.ok ? { status: 500, code: 'INTERNAL' } : result.problem,
    posted,
    fieldOf,
    issueField,
  );
}

/**
 * Proposes what a new-proposal form holds once it is complete: its text (`proposalText`) and `payload`
 * (null when the form's own fields made none); else answers the form with every field to fix.
 */
export async function proposeWhenComplete(
  fetch: Fetch,
  posted: Posted,
  fields: Record<string, string>,
  payload: Submission['payload'] | null,
  fieldOf: Record<string, string> = {},
): Promise<ActionFailure<FormFailure>> {
  const text = proposalText(posted, fields);
  if (!payload || Object.keys(fields).length) return invalid('propose', fields, posted);
  return proposeFromForm(fetch, posted, { ...text, payload }, fieldOf);
}
