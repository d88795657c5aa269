// The command sender of `pnpm bench live`, in a worker thread of its own (as another member's device
// would be): stance commands on a fixed schedule whatever the answers do (open loop), each timed from the
// moment it was SCHEDULED, in wall-clock milliseconds (performance.timeOrigin + performance.now()).
import { parentPort, workerData } from 'node:worker_threads';
import { post } from './post.mjs';

const { origin, representatives, proposals, rate, total, startAt } = workerData;
const now = () => performance.timeOrigin + performance.now();
const stances = ['consent', 'concerns'];
/** [due, answered, status, position] for each command, in schedule order. */
const results = new Float64Array(total * 4);

async function command(index, due) {
  const token = representatives[index % representatives.length];
  const proposalId = proposals[index % proposals.length];
  const stance = stances[Math.floor(index / representatives.length) % 2];
  let status = 0;
  let position = 0;
  try {
    const response = await post(
      `${origin}/api/proposals/${proposalId}/stances`,
      { 'content-type': 'application/json', cookie: `concord_session=${token}` },
      JSON.stringify({ stance, reason: stance === 'consent' ? null : `bench ${index}` }),
    );
    status = response.status;
    position = JSON.parse(response.text).position ?? 0;
  } catch {
    // A command that got no answer is a failure (status 0), counted as missed at every client.
  }
  results.set([due, now(), status, position], index * 4);
}

const interval = 1000 / rate;
const sends = [];
for (let index = 0; index < total; index++) {
  const due = startAt + index * interval;
  const wait = due - now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  sends.push(command(index, due));
}
await Promise.all(sends);
parentPort.postMessage({
  type: 'sent',
  results,
  elapsed: now() - startAt,
  busy: performance.eventLoopUtilization().utilization,
});
