// Relative imports (not $lib), like the other label tables: unit-tested as is.
import type { Locale } from '../paraglide/runtime.js';

/** A label's language when it is not the request's (a caller outside a request, such as a unit test). */
export interface LabelOptions {
  locale?: Locale;
}

type Message = (inputs: Record<string, never>, options: LabelOptions) => string;

/**
 * A label function from a table of messages by code. A code the table does not know (say, from a newer
 * server) shows as itself rather than as nothing.
 */
export function labeler(messages: Record<string, Message>, unknown?: Message) {
  return (code: string | null, options: LabelOptions = {}): string =>
    code !== null && Object.hasOwn(messages, code)
      ? messages[code]!({}, options)
      : (unknown?.({}, options) ?? code ?? '');
}
