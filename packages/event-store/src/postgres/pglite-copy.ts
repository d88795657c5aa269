import { type PGlite, protocol } from '@electric-sql/pglite';
import type { Accumulator } from './driver.ts';

// COPY on PGlite through its wire protocol, as on a server: `TO STDOUT` and `FROM STDIN`. PGlite's
// `'/dev/blob'` goes through a Blob and an ArrayBuffer each way, and copies COPY output in many small
// slices. A rebuild made megabytes of those per page, and their garbage was up to 140 MB of its peak
// (ADR 0041).

const { serialize, Parser } = protocol;

const COPY_DATA = 0x64; // 'd'
const ERROR = 0x45; // 'E'

/** The error of a backend `ErrorResponse` in `output` at `offset`, as PGlite's own queries throw it. */
function errorAt(output: Uint8Array, offset: number, length: number): Error {
  let error: Error | undefined;
  new Parser().parse(output.slice(offset, offset + 1 + length), (message) => {
    if (message instanceof Error) error = message;
  });
  return error ?? new Error('PGlite answered COPY with an error it could not read');
}

/**
 * Goes through the backend messages in `output`, handing each one's type and where its body starts and
 * ends; at an ErrorResponse, throws PostgreSQL's error instead.
 */
function eachMessage(output: Buffer, each: (type: number, body: number, end: number) => void): void {
  for (let read = 0; read + 5 <= output.length; ) {
    const type = output[read]!;
    const length = output.readInt32BE(read + 1);
    if (type === ERROR) throw errorAt(output, read, length);
    each(type, read + 5, read + 1 + length);
    read += 1 + length;
  }
}

/**
 * Runs `COPY … TO STDOUT` on PGlite and resolves with what it wrote, in `received` (reset first and
 * reused: what an earlier call returned is overwritten).
 */
export async function pgliteCopyOut(pglite: PGlite, text: string, received: Accumulator): Promise<Buffer> {
  received.reset();
  await pglite.runExclusive(() =>
    pglite.execProtocolRawStream(serialize.query(text), { onRawData: (chunk) => received.append(chunk) }),
  );
  // The COPY's bytes are the bodies of its CopyData messages. They are moved down over the message headers
  // in place (never past where they are read from), so no second buffer is needed.
  const framed = received.bytes;
  let written = 0;
  eachMessage(framed, (type, body, end) => {
    if (type !== COPY_DATA) return;
    framed.copyWithin(written, body, end);
    written += end - body;
  });
  return framed.subarray(0, written);
}

/** Runs `COPY … FROM STDIN` on PGlite with `blocks` as its input, one CopyData message each. */
export async function pgliteCopyIn(pglite: PGlite, text: string, blocks: readonly Buffer[]): Promise<void> {
  const query = serialize.query(text);
  const done = serialize.copyDone();
  let size = query.length + done.length;
  for (const block of blocks) size += 5 + block.length;
  // The messages are written into one buffer: PGlite copies its input into its memory once more anyway.
  const input = Buffer.allocUnsafe(size);
  input.set(query, 0);
  let offset = query.length;
  for (const block of blocks) {
    input[offset] = COPY_DATA;
    input.writeInt32BE(4 + block.length, offset + 1);
    input.set(block, offset + 5);
    offset += 5 + block.length;
  }
  input.set(done, offset);
  const output = await pglite.runExclusive(() => pglite.execProtocolRaw(input));
  eachMessage(Buffer.from(output.buffer, output.byteOffset, output.length), () => {});
}
