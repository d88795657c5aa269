import { m } from '$lib/paraglide/messages.js';

export function statusLabel(status: string): string {
  switch (status) {
    case 'draft':
      return m.status_draft();
    case 'open':
      return m.status_open();
    case 'adopted':
      return m.status_adopted();
    case 'notAdopted':
      return m.status_not_adopted();
    case 'withdrawn':
      return m.status_withdrawn();
    case 'executed':
      return m.status_executed();
    case 'executionFailed':
      return m.status_execution_failed();
    default:
      return status;
  }
}
