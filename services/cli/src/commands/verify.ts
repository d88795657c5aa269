import type { Target } from '../context.ts';
import { EXIT } from '../errors.ts';

/** `concord verify`: walks every event's hash chain; ok with the head hash, or the first bad event. */
export async function verify(target: Target, out: NodeJS.WriteStream) {
  const result = await target.store.verify();
  if (result.ok) {
    out.write(
      `ok: ${result.events} events verified; head position ${result.headPosition}; head hash ${result.headHash}\n`,
    );
    return EXIT.ok;
  }
  const bad = result.firstBad;
  out.write(
    `TAMPERED: first bad event: stream ${bad.streamId} position ${bad.streamPosition}` +
      `${bad.globalPosition === null ? '' : ` (global position ${bad.globalPosition})`}: ${bad.problem}: ${bad.detail}\n`,
  );
  return EXIT.failed;
}
