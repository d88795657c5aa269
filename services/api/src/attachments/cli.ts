/**
 * `@concord/api/attachments`: what the CLI needs of the documents (ADR 0025): their store, their check
 * against the history, and the tar export.
 */
export { exportTar } from './export-tar.ts';
export { AttachmentStore } from './store.ts';
export type { AttachmentDb } from './table.ts';
export { type AttachmentReport, describeAttachmentProblem, verifyAttachments } from './verify.ts';
