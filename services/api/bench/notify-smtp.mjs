// The loopback SMTP server of the notify benchmark, in a worker thread of its own (as a mail relay is
// another machine): accepts every mail and notes, per Message-ID, when the end of its DATA arrived
// (wall-clock milliseconds, performance.timeOrigin + performance.now(), comparable across threads).
import { parentPort } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

const now = () => performance.timeOrigin + performance.now();
/** [Message-ID, time] of every accepted mail. */
let accepted = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // A relay on loopback: no reverse DNS look-up of the client (the sandbox may have no resolver to ask).
  disableReverseLookup: true,
  maxClients: 1000,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk) => {
      if (head.length < 16_384) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const at = now();
      const id = head.replace(/\r?\n[ \t]+/g, ' ').match(/^Message-ID: *(<[^>]+>)/im)?.[1] ?? '';
      accepted.push([id, at]);
      callback();
    });
  },
});
// Answers at once (TCP_NODELAY), as production relays do: with Nagle's algorithm each small SMTP reply
// waits for the client's delayed ACK, some 40 ms per command on loopback, which would measure the test
// relay rather than Concord.
server.server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () =>
  parentPort.postMessage({ type: 'ready', port: server.server.address().port }),
);
parentPort.on('message', (message) => {
  if (message.type === 'take') {
    // Hands over what arrived since the last call.
    parentPort.postMessage({ type: 'accepted', accepted });
    accepted = [];
  } else if (message.type === 'close') {
    server.close(() => process.exit(0));
  }
});
