// The browser's own witness (ADR 0009): it keeps the last checkpoint it verified and accepts a newer one
// only with a consistency proof from it, so a server that rolls its history back or shows this reader a
// fork is caught by the reader's own browser, with no key and no trust in the host. Loaded lazily by the
// (app) layout once the page has loaded. Its words are another chunk ($lib/log-alarm), fetched only when
// the check refuses: a visit where all is well loads no alarm text in four languages.
import {
  checkExtension,
  fromBase64,
  type NoteVerifier,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  type RefusalReason,
  toBase64,
  webCrypto,
} from '@concord/transparency/browser';

/** Where the verified checkpoint note is kept (one per site: localStorage is per origin already). */
export const keptKey = 'concord.log.checkpoint';

/** A checkpoint this browser refused: why, and the evidence to download. */
export interface LogRefusal {
  reason: RefusalReason;
  /** The evidence as a data URL (both signed checkpoints and the proof, JSON). */
  href: string;
  filename: string;
}

/** The parts of `GET /api/log` used here (the contracts' `LogState`; types only reach the browser). */
interface LogState {
  origin: string;
  logKeys: string[];
  checkpoint: { size: number; note: string } | null;
}

async function readJson<T>(path: string): Promise<T | null> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (response.status !== 200) return null;
  return (await response.json()) as T;
}

/**
 * Checks the latest checkpoint against the kept one. Null when all is well (the newer one is kept), or
 * when nothing can be checked (no log on this server, no checkpoint yet, no WebCrypto, offline): a check
 * that could not run is not evidence of anything. An alarm leaves the kept checkpoint as it was, so every
 * later visit raises it again until someone looks into it.
 */
export async function checkLog(storage: Storage = localStorage): Promise<LogRefusal | null> {
  // Through the portal, which answers 204 when the server runs no log (see audit/log/+server.ts).
  const state = await readJson<LogState>('/audit/log');
  if (!state?.checkpoint) return null;
  const crypto = webCrypto();
  // The keys the history records (LogKeyPublished), not a key the server merely claims now.
  const verifiers: NoteVerifier[] = [];
  for (const key of state.logKeys) verifiers.push(await parseVerifierKey(key, crypto));
  const kept = storage.getItem(keptKey) ?? undefined;
  const offered = state.checkpoint.note;

  let proof: Uint8Array[] = [];
  let heldSize: number | undefined;
  if (kept !== undefined) {
    try {
      heldSize = parseCheckpoint(parseNote(kept).text).size;
    } catch {
      // Not a checkpoint (cleared by hand, or from an older portal): start again from this one.
      storage.removeItem(keptKey);
      return checkLog(storage);
    }
    // A proof exists only towards a larger tree; a smaller or equal one is judged without one.
    if (heldSize < state.checkpoint.size) {
      const answer = await readJson<{ proof: string[] }>(
        `/api/log/proofs/consistency?from=${heldSize}&to=${state.checkpoint.size}`,
      );
      if (!answer) return null;
      proof = answer.proof.map(fromBase64);
    }
  }

  const result = await checkExtension({ previous: kept, offered, proof, logVerifiers: verifiers, crypto });
  if (result.ok) {
    if (!result.unchanged || kept !== offered) storage.setItem(keptKey, offered);
    return null;
  }
  const evidence = {
    what: 'Concord: a checkpoint this browser refused (ADR 0009, docs/verification.md)',
    reason: result.reason,
    detail: result.detail,
    checkedAt: new Date().toISOString(),
    origin: state.origin,
    logKeys: state.logKeys,
    previous: kept ?? null,
    offered,
    proof: result.evidence?.proof ?? proof.map(toBase64),
  };
  return {
    reason: result.reason,
    href: `data:application/json;charset=utf-8,${encodeURIComponent(`${JSON.stringify(evidence, null, 2)}\n`)}`,
    filename: `concord-log-evidence-${evidence.checkedAt.slice(0, 10)}.json`,
  };
}
