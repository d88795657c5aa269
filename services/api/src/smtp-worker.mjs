// The SMTP side of `SmtpMailer` (mail.ts), in a worker thread of its own: nodemailer builds each MIME
// message and talks to the relay here, so a mail's round trips wait neither for the server's other work
// on its thread (commands, projections; with embedded PGlite a burst of queries runs without yielding)
// nor add their CPU to it. Plain JavaScript: it starts the same with or without tsx's loader.
import { parentPort, workerData } from 'node:worker_threads';
import { createTransport } from 'nodemailer';

const transport = createTransport(workerData.url);

parentPort.on('message', (message) => {
  if (message.type === 'send') {
    transport.sendMail(message.options).then(
      () => parentPort.postMessage({ type: 'sent', id: message.id }),
      (error) =>
        parentPort.postMessage({
          type: 'failed',
          id: message.id,
          error: {
            message: error instanceof Error ? error.message : String(error),
            code: error?.code,
            responseCode: error?.responseCode,
          },
        }),
    );
  } else if (message.type === 'close') {
    // Ends the pooled connections; with the port closed too, nothing keeps the thread alive.
    transport.close();
    parentPort.close();
  }
});
