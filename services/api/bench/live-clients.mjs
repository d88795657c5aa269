// A worker thread of the live benchmark: opens its share of the WebSocket clients, resumes each from the
// same position, and notes when every entry arrives (wall-clock milliseconds with sub-millisecond
// precision: performance.timeOrigin + performance.now(), comparable across threads).
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, tokens, after } = workerData;
const now = () => performance.timeOrigin + performance.now();
/** [position, time] pairs, for every entry on every socket. */
const arrivals = [];
const sockets = [];
let disordered = 0;
let closedEarly = 0;
const ENTRY = /"position":(\d+),"eventId"/g;

function open(token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { cookie: `concord_session=${token}` },
      perMessageDeflate: false,
    });
    const socket = { ws, last: after, caughtUp: false, count: 0 };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'resume', after })));
    ws.on('message', (data) => {
      const at = now();
      const text = data.toString();
      if (text.startsWith('{"type":"events"')) {
        for (const match of text.matchAll(ENTRY)) {
          const position = Number(match[1]);
          // A repeated or out-of-order entry is an anomaly, not a delivery: counted apart, never twice.
          if (position <= socket.last) {
            disordered++;
            continue;
          }
          socket.last = position;
          socket.count++;
          arrivals.push(position, at);
        }
      } else if (text.startsWith('{"type":"caughtUp"')) {
        socket.caughtUp = true;
        resolve(socket);
      }
    });
    ws.on('close', () => {
      if (!socket.stopping) closedEarly++;
      if (!socket.caughtUp) reject(new Error('closed before catching up'));
    });
    ws.on('error', reject);
  });
}

for (let index = 0; index < tokens.length; index += 50) {
  sockets.push(...(await Promise.all(tokens.slice(index, index + 50).map(open))));
}
parentPort.postMessage({ type: 'ready', sockets: sockets.length });
// How busy this thread's event loop was while the commands ran (from here to the parent's `waitFor`).
const ready = performance.eventLoopUtilization();

parentPort.on('message', (message) => {
  if (message.type === 'waitFor') {
    const busy = performance.eventLoopUtilization(ready).utilization;
    const deadline = Date.now() + message.timeoutMs;
    const check = () => {
      if (sockets.every((socket) => socket.last >= message.position) || Date.now() > deadline) {
        parentPort.postMessage({
          type: 'reached',
          busy,
          all: sockets.every((socket) => socket.last >= message.position),
        });
      } else setTimeout(check, 20);
    };
    check();
  } else if (message.type === 'stop') {
    for (const socket of sockets) {
      socket.stopping = true;
      socket.ws.close();
    }
    const buffer = Float64Array.from(arrivals);
    parentPort.postMessage(
      {
        type: 'done',
        arrivals: buffer,
        disordered,
        closedEarly,
        counts: sockets.map((socket) => socket.count),
      },
      [buffer.buffer],
    );
  }
});
