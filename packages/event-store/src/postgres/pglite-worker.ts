// The embedded database's own thread (ADR 0030): PGlite runs here, so its WebAssembly, its protocol
// parsing and its WAL flushes take the second core instead of the event loop that answers requests.
// `PgliteThread` is the other end. Requests queue here and run one at a time in the order they came, but
// while a transaction is open only its own statements run (the others wait for its end).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { durablePgliteOptions } from './durable-fs.ts';
import type { PgliteRequest, PgliteResponse } from './pglite-thread.ts';

const { dataDir, durable } = workerData as { dataDir?: string; durable: boolean };
const port = parentPort!;
const answer = (response: PgliteResponse) => port.postMessage(response);

/** An error as data: its message and PostgreSQL's fields (code, detail, …) cross the thread; its class does not. */
function plain(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return { ...error, name: error.name, message: error.message, stack: error.stack };
}

const queue: PgliteRequest[] = [];
/** The transaction open now, whose statements alone may run. */
let open: number | null = null;
let running = false;

async function run(pglite: PGlite, request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return pglite.query(request.sql, request.params, request.options);
    case 'exec':
      return pglite.exec(request.sql);
    case 'close':
      await pglite.close();
      return null;
  }
}

function pump(pglite: PGlite): void {
  if (running) return;
  const index = open === null ? 0 : queue.findIndex((request) => request.tx?.id === open);
  if (index < 0 || index >= queue.length) return;
  const [request] = queue.splice(index, 1) as [PgliteRequest];
  running = true;
  if (request.tx) open = request.tx.id;
  run(pglite, request)
    .then(
      (result) => {
        if (request.tx?.ends) open = null;
        answer({ id: request.id, result });
      },
      (error: unknown) => {
        // A transaction whose opening failed never opened; one whose end failed is over either way.
        if (request.tx?.ends || request.tx?.begins) open = null;
        answer({ id: request.id, error: plain(error) });
      },
    )
    .finally(() => {
      running = false;
      pump(pglite);
    });
}

try {
  const pglite = dataDir ? new PGlite(durable ? durablePgliteOptions(dataDir) : { dataDir }) : new PGlite();
  await pglite.waitReady;
  port.on('message', (request: PgliteRequest) => {
    queue.push(request);
    pump(pglite);
  });
  answer({ id: 0, result: null });
} catch (error) {
  answer({ id: 0, error: plain(error) });
}
