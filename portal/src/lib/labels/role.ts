import { m } from '$lib/paraglide/messages.js';

export function roleLabel(role: string | null): string {
  switch (role) {
    case 'representative':
      return m.role_representative();
    case 'facilitator':
      return m.role_facilitator();
    case 'auditor':
      return m.role_auditor();
    case 'system':
      return m.role_system();
    default:
      return m.role_none();
  }
}
