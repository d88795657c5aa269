import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const recusalLabel = labeler({
  grantRecipient: m.recusal_grant_recipient,
  linePartner: m.recusal_line_partner,
  payee: m.recusal_payee,
});
