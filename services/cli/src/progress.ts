import type { Output } from './io.ts';

/**
 * Progress of a long run: a bar redrawn in place on a terminal, a line every few seconds otherwise
 * (logs, CI), always on the run's stderr (`stream`) so stdout stays clean for data.
 */
export function progressReporter(label: string, stream: Output) {
  const started = Date.now();
  let lastLine = 0;
  let lastDone = -1;
  const rate = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  return {
    update(done: number, total: number) {
      if (done === lastDone) return;
      lastDone = done;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      if (stream.isTTY) {
        if (done !== total && Date.now() - lastLine < 100) return;
        lastLine = Date.now();
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} events ${rate(done).toLocaleString('en')}/s `,
        );
      } else if (Date.now() - lastLine >= 5000 || done === total) {
        lastLine = Date.now();
        stream.write(
          `${label}: ${done} of ~${total} events (${(share * 100).toFixed(0)}%), ${rate(done)} events/s\n`,
        );
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
