// Form actions: read the posted fields, answer failures in one shape (`FormFailure`), translate the API's
// refusals into the reader's language.
import { randomUUID } from 'node:crypto';
import { type ActionFailure, fail } from '@sveltejs/kit';
import type { FormFailure, FormSuccess } from '$lib/forms';
import type { Problem } from './api';
import { problemMessage } from './problems';

/** The posted form, read as trimmed text. */
export class Posted {
  constructor(readonly data: FormData) {}

  static async of(request: Request): Promise<Posted> {
    return new Posted(await request.formData());
  }

  text(name: string): string {
    const value = this.data.get(name);
    return typeof value === 'string' ? value.trim() : '';
  }

  /** Every value of a repeated field (checkboxes, multi-selects), trimmed, empty ones left out. */
  all(name: string): string[] {
    return this.data
      .getAll(name)
      .filter((value): value is string => typeof value === 'string')
      .map((value) => value.trim())
      .filter(Boolean);
  }

  has(name: string): boolean {
    return this.data.has(name);
  }

  /** The Idempotency-Key the form carried. */
  key(): string | null {
    return this.text('key') || null;
  }

  /**
   * Everything posted except passwords and the key, to echo back into the fields. A name posted several
   * times (ticked checkboxes) comes back as its values one per line (`ticked` reads them).
   */
  values(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [name, value] of this.data) {
      if (typeof value !== 'string' || /password/i.test(name) || name === 'key') continue;
      values[name] = name in values ? `${values[name]}\n${value}` : value;
    }
    return values;
  }
}

export function accepted(action: string, notice: string | null = null): FormSuccess {
  return { action, ok: true, notice, key: randomUUID() };
}

/**
 * The form back with `values` in its fields and what the page shows with them (a preview, more rows):
 * nothing was sent to the API.
 */
export function echoed<Shown extends object = Record<never, never>>(
  action: string,
  values: Record<string, string>,
  shown: Shown = {} as Shown,
) {
  return { ...accepted(action), values, ...shown };
}

/** Our own checks failed: nothing was sent to the API. */
export function invalid(
  action: string,
  fields: Record<string, string>,
  posted: Posted | null,
  message: string | null = null,
): ActionFailure<FormFailure> {
  return fail(400, { action, ok: false, message, fields, values: posted?.values() ?? {}, key: randomUUID() });
}

/**
 * The API refused. The message is the catalogue's, in the reader's language (or the API's own words
 * for a code the portal doesn't know); `fieldOf` puts it next to the field it is about, and validation
 * issues go next to their fields.
 */
export function refused(
  action: string,
  problem: Problem,
  posted: Posted | null,
  fieldOf: Record<string, string> = {},
  issueField: (path: string) => string | null = (path) => path || null,
): ActionFailure<FormFailure> {
  const message = problemMessage(problem);
  const fields: Record<string, string> = {};
  const field = fieldOf[problem.code];
  if (field) fields[field] = message;
  for (const issue of problem.issues ?? []) {
    const name = issueField(issue.path);
    if (name && !fields[name]) fields[name] = issue.message;
  }
  const status = problem.status >= 400 && problem.status < 500 ? problem.status : 502;
  return fail(status, {
    action,
    ok: false,
    message: field ? null : message,
    fields,
    values: posted?.values() ?? {},
    key: randomUUID(),
  });
}

/**
 * An invitation the API refused (`fieldOf` puts its refusal next to the field it is about) or made: the
 * page shows the hand-over (the link itself when this server sends no mail).
 */
export function invitationHandedOver(
  action: string,
  result: { ok: true; body: { link: string | null; expiresAt: string } } | { ok: false; problem: Problem },
  posted: Posted,
  invited: { name: string; email: string },
  fieldOf: Record<string, string>,
) {
  if (!result.ok) return refused(action, result.problem, posted, fieldOf);
  const { link, expiresAt } = result.body;
  return { ...accepted(action), invitation: { ...invited, link, expiresAt } };
}
