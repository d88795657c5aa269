import { m } from '$lib/paraglide/messages.js';

export function recusalLabel(reason: string): string {
  switch (reason) {
    case 'grantRecipient':
      return m.recusal_grant_recipient();
    case 'linePartner':
      return m.recusal_line_partner();
    case 'payee':
      return m.recusal_payee();
    default:
      return reason;
  }
}
