import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const statusLabel = labeler({
  draft: m.status_draft,
  open: m.status_open,
  adopted: m.status_adopted,
  notAdopted: m.status_not_adopted,
  withdrawn: m.status_withdrawn,
  executed: m.status_executed,
  executionFailed: m.status_execution_failed,
});
