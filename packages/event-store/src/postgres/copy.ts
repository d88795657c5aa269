import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Accumulator } from './driver.ts';

// COPY on a `pg` client, through pg-copy-streams (the maintained way to drive COPY with `pg`). PGlite's is in
// `pglite-copy.ts`.

/** `COPY … TO STDOUT`: resolves with every byte the server sent, in `received` (reset first). */
export async function copyOut(
  client: pg.ClientBase,
  text: string,
  received: Accumulator = new Accumulator(),
): Promise<Buffer> {
  received.reset();
  const stream = client.query(copyTo(text));
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => received.append(chunk));
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  return received.bytes;
}

/** `COPY … FROM STDIN`: sends the blocks, resolves when the server has stored them. */
export async function copyIn(client: pg.ClientBase, text: string, blocks: readonly Buffer[]): Promise<void> {
  await pipeline(blocks, client.query(copyFrom(text)));
}
