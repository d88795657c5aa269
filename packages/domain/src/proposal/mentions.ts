/**
 * Mentions in a comment: a person is mentioned by an `@{personId}` token (the id in braces) inside the
 * text, never by name, so a comment recorded forever holds ids only and the name shown is whatever the
 * personal-data store says today (nothing, once the person is forgotten). Clients turn a picked name
 * into the token; readers turn tokens back into names.
 */
const MENTION = /@\{([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}/g;

/** How many different people one comment may mention: a comment is not a mailing list. */
export const MAX_MENTIONS = 20;

/** The ids of the people a comment's text mentions, each once, in the order first mentioned (lower case). */
export function mentionedPersonIds(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((match) => (match[1] as string).toLowerCase()))];
}
