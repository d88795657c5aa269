import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const roleLabel = labeler(
  {
    representative: m.role_representative,
    facilitator: m.role_facilitator,
    auditor: m.role_auditor,
    system: m.role_system,
  },
  m.role_none,
);
