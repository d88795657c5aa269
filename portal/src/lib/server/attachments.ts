// Documents (ADR 0025): the portal's server side uploads a posted file to the API and cites it by the
// reference the API answers; downloads go through the proxy route (routes/(app)/attachments/[sha256]).
import { type AttachmentRef, MAX_ATTACHMENTS } from '@concord/domain';
import { callApi, type Problem, readProblem } from './api';
import { problemMessage } from './problems';

/** The API refused a document: its problem, with the words to show in the reader's language. */
export class AttachmentRefused extends Error {
  override readonly name = 'AttachmentRefused';
  constructor(readonly problem: Problem) {
    super(problemMessage(problem));
  }
}

/**
 * Uploads `file` (a form's file field) to the API and answers the reference to cite in a command,
 * marked `restricted` when the person says it holds personal or sensitive data. Refusals (too large, a
 * type Concord does not keep, empty) throw `AttachmentRefused` with the message to show.
 */
export async function uploadAttachment(
  fetch: typeof globalThis.fetch,
  file: File,
  restricted: boolean,
): Promise<AttachmentRef> {
  const response = await callApi(fetch, '/api/attachments', {
    method: 'POST',
    // The browser's word for the type (from the file name); the API reads the bytes and refuses a mismatch.
    headers: { 'content-type': file.type || 'application/octet-stream' },
    body: await file.arrayBuffer(),
    // A large document on a slow line takes a while.
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok) throw new AttachmentRefused(await readProblem(response));
  const { sha256, mediaType, size } = (await response.json()) as Omit<AttachmentRef, 'restricted'>;
  return { sha256, mediaType, size, restricted };
}

/**
 * The files a form posted in `field` (none chosen: none), uploaded and answered as references to cite,
 * marked restricted when the form's `<field>Restricted` box is ticked (`AttachmentField`). More than a
 * record may cite, or a file the API refuses, throws `AttachmentRefused` before anything is cited.
 */
export async function uploadedDocuments(
  fetch: typeof globalThis.fetch,
  formData: FormData,
  field: string,
): Promise<AttachmentRef[]> {
  // A file input left empty still posts one nameless, empty file.
  const files = formData
    .getAll(field)
    .filter((value): value is File => value instanceof File && value.size > 0);
  if (files.length > MAX_ATTACHMENTS) {
    throw new AttachmentRefused({ status: 400, code: 'TOO_MANY_ATTACHMENTS' });
  }
  const restricted = formData.get(`${field}Restricted`) === 'on';
  const documents: AttachmentRef[] = [];
  // One at a time: a phone on a slow line sends one file at a time anyway, and the first refusal stops.
  for (const file of files) documents.push(await uploadAttachment(fetch, file, restricted));
  return documents;
}

/** `uploadedDocuments`, or the words of its refusal for the form to show. */
export async function uploadsOf(
  fetch: typeof globalThis.fetch,
  formData: FormData,
  field: string,
): Promise<{ documents: AttachmentRef[] } | { refused: string }> {
  try {
    return { documents: await uploadedDocuments(fetch, formData, field) };
  } catch (error) {
    if (error instanceof AttachmentRefused) return { refused: error.message };
    throw error;
  }
}
