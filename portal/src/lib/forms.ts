// What a form action answers, shared by the server (which builds it) and the page (which shows it).
// Messages are already in the reader's language: the server translates refusals, so no catalogue of
// error messages ships to the browser.

export interface FormFailure {
  /** Which form on the page this answers (pages have several). */
  action: string;
  ok: false;
  /** For the alert above the form; null when only fields are wrong. */
  message: string | null;
  /** Field name → what is wrong with it, shown next to the field. */
  fields: Record<string, string>;
  /** What was sent, echoed into the fields (`defaultValue`), never a password. */
  values: Record<string, string>;
  /** A fresh Idempotency-Key for the next attempt. */
  key: string;
}

export interface FormSuccess {
  action: string;
  ok: true;
  /** A confirmation to show, if any. */
  notice: string | null;
  key: string;
}

export type FormResult = FormFailure | FormSuccess;

function isResult(form: unknown): form is FormResult {
  return typeof form === 'object' && form !== null && 'action' in form && 'ok' in form;
}

/** The failure of `action`, if the last form posted on the page was that one and it failed. */
export function failureOf(form: unknown, action: string): FormFailure | null {
  return isResult(form) && !form.ok && form.action === action ? form : null;
}

export function successOf(form: unknown, action: string): FormSuccess | null {
  return isResult(form) && form.ok && form.action === action ? form : null;
}

/** `aria-invalid` of a field: set when the last answer found something wrong with it. */
export function invalid(failure: FormFailure | null, field: string): 'true' | undefined {
  return failure?.fields[field] ? 'true' : undefined;
}

/** `aria-describedby` of a field: its hint, if any, and its error message when there is one. */
export function describedBy(failure: FormFailure | null, field: string, hint?: string): string | undefined {
  const ids = [hint, failure?.fields[field] ? `${failure.action}-${field}-error` : undefined].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Whether a checkbox `name` with `value` was ticked in what came back from a post (see `values`). */
export function ticked(values: Record<string, string>, name: string, value: string): boolean {
  return (values[name] ?? '').split('\n').includes(value);
}

/**
 * A textarea's text for the server's HTML only: `<textarea value={ssrText(text)} defaultValue={text}>`.
 * Svelte's server rendering leaves `defaultValue` out of a textarea (so without JavaScript an echoed or
 * prefilled text would be lost), while `value` in the browser would overwrite what someone typed before
 * the page hydrated. The server writes the text; the browser only ever sets `defaultValue`.
 */
export function ssrText(text: string): string | undefined {
  return typeof document === 'undefined' ? text : undefined;
}
