// The words of the browser's log alarm, in the reader's language. A chunk of its own, loaded by the (app)
// layout only after $lib/log-check refused a checkpoint, so the four languages' alarm text is not on the
// weight of every visit.
import type { RefusalReason } from '@concord/transparency/browser';
import { m } from '$lib/paraglide/messages.js';

/** What the alarm says for a refusal. */
export interface LogAlarmWords {
  title: string;
  detail: string;
  advice: string;
  download: string;
}

function reasonText(reason: RefusalReason): string {
  if (reason === 'rollback') return m.log_alarm_rollback();
  if (reason === 'fork') return m.log_alarm_fork();
  if (reason === 'bad_signature' || reason === 'wrong_origin') return m.log_alarm_signature();
  return m.log_alarm_inconsistent();
}

/** The alarm's title, what was found, what to do and the download link's text. */
export function logAlarmWords(reason: RefusalReason): LogAlarmWords {
  return {
    title: m.log_alarm_title(),
    detail: reasonText(reason),
    advice: m.log_alarm_advice(),
    download: m.log_alarm_download(),
  };
}
