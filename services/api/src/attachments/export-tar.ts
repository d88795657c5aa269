import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { citedAttachments } from '@concord/domain';
import { type Pack, pack as tarPack } from 'tar-stream';
import type { AttachmentStore } from './store.ts';

/** Writes one tar entry from a readable source of known size, waiting until the entry is written. */
async function entry(pack: Pack, name: string, size: number, source: NodeJS.ReadableStream): Promise<void> {
  const sink = pack.entry({ name, size, mode: 0o644 });
  await pipeline(source, sink);
}

/**
 * The export as a tar (ADR 0025): `events.jsonl` exactly as the JSON lines export writes it, then
 * `attachments/<sha256>` for every document those events cite that the person may read, and
 * `attachments-withheld.txt` listing the SHA-256 of those they may not (restricted documents of other
 * organizations). Streamed: the JSON lines go through a temporary file (a tar entry states its size
 * first), documents are read one at a time.
 */
export function exportTar(input: {
  lines: AsyncIterable<string>;
  documents: AttachmentStore;
  /** Whether the person exporting may read a document (the CLI, with the database itself: every one). */
  mayRead: (sha256: string) => Promise<boolean>;
}): Pack {
  const pack = tarPack();
  const work = async () => {
    const folder = await mkdtemp(join(tmpdir(), 'concord-export-'));
    try {
      const jsonl = join(folder, 'events.jsonl');
      const cited: string[] = [];
      const seen = new Set<string>();
      const out = createWriteStream(jsonl);
      for await (const text of input.lines) {
        for (const line of text.split('\n')) {
          if (!line.startsWith('{"')) continue;
          const parsed = JSON.parse(line) as { type?: unknown; data?: unknown };
          if (typeof parsed.type !== 'string') continue;
          for (const ref of citedAttachments({ type: parsed.type, data: parsed.data })) {
            if (!seen.has(ref.sha256)) cited.push(ref.sha256);
            seen.add(ref.sha256);
          }
        }
        if (!out.write(text)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      await entry(pack, 'events.jsonl', (await stat(jsonl)).size, createReadStream(jsonl));
      const withheld: string[] = [];
      for (const sha256 of cited) {
        const stored = (await input.mayRead(sha256)) ? await input.documents.read(sha256) : undefined;
        if (!stored) {
          withheld.push(sha256);
          continue;
        }
        // Through the entry's stream: the next document is read only once the reader took this one.
        await entry(pack, `attachments/${sha256}`, stored.bytes.byteLength, Readable.from([stored.bytes]));
      }
      if (withheld.length > 0) {
        pack.entry({ name: 'attachments-withheld.txt', mode: 0o644 }, `${withheld.join('\n')}\n`);
      }
      pack.finalize();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };
  work().catch((error: unknown) => pack.destroy(error as Error));
  return pack;
}
