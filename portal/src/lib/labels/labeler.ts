// Relative imports (not $lib), like the other label tables: unit-tested as is.
/**
 * A label function from a table of messages by code. A code the table does not know (say, from a newer
 * server) shows as itself rather than as nothing.
 */
export function labeler(messages: Record<string, () => string>, unknown?: () => string) {
  return (code: string | null): string =>
    code !== null && Object.hasOwn(messages, code) ? messages[code]!() : (unknown?.() ?? code ?? '');
}
