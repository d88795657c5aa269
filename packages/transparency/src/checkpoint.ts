/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint), browser-safe: the note text a log signs to commit to
 * its tree.
 *
 *     <origin>\n
 *     <tree size, ASCII decimal, no leading zeroes>\n
 *     <root hash, standard base64 of 32 bytes>\n
 *     [<extension line>\n]…
 * @module
 */
import { fromBase64, parseDecimal, toBase64 } from './bytes.ts';
import { assertNoteText } from './note.ts';
import { HASH_SIZE } from './rfc9162.ts';

/** What a checkpoint says: the log (its origin), its size and its root hash. */
export interface Checkpoint {
  /** Names the log; unique among logs (e.g. `concord.example.org/coalition`). */
  origin: string;
  size: number;
  root: Uint8Array;
  /** Further non-empty lines a log may add; a witness makes no statement about them. */
  extensions: string[];
}

/** The note text of a checkpoint. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions } = checkpoint;
  if (origin.length === 0 || origin.includes('\n')) throw new Error('an origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new Error('a size is a whole number ≥ 0');
  if (root.length !== HASH_SIZE) throw new Error('a root hash is 32 bytes');
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n')) throw new Error('an extension is one non-empty line');
  }
  const text = [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join('');
  assertNoteText(text);
  return text;
}

/** A checkpoint from its note text (as `openNote` returns it); throws on anything malformed. */
export function parseCheckpoint(text: string): Checkpoint {
  assertNoteText(text);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new Error('a checkpoint has an origin, a size and a root hash');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new Error('a checkpoint origin is not empty');
  if (extensions.some((line) => line.length === 0)) throw new Error('a checkpoint has no empty lines');
  const rootHash = fromBase64(root);
  if (rootHash.length !== HASH_SIZE) throw new Error('a checkpoint root hash is 32 bytes');
  return { origin, size: parseDecimal(size), root: rootHash, extensions };
}
