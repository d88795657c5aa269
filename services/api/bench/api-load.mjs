// The load generator of `pnpm bench api`, in its own process (as clients on other machines would be): it
// sends stance commands on a fixed schedule, whatever the server's answers do (open loop), and measures
// each from the moment it was SCHEDULED to its answer, so a server that falls behind shows as latency
// instead of slowing the clients down (no coordinated omission).
import { randomUUID } from 'node:crypto';
import { post } from './post.mjs';

process.on('message', async ({ origin, representatives, proposals, rate, seconds, step }) => {
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const statuses = {};
  const start = performance.now() + 50;
  const cpuBefore = process.cpuUsage();
  const sends = [];
  for (let index = 0; index < total; index++) {
    const due = start + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const rep = representatives[index % representatives.length];
    const proposalId = proposals[Math.floor(index / representatives.length) % proposals.length];
    // Each representative alternates its organization's stance, so every command changes something.
    const stance =
      (Math.floor(index / representatives.length / proposals.length) + step) % 2 ? 'concerns' : 'consent';
    sends.push(
      post(
        `${origin}/api/proposals/${proposalId}/stances`,
        // As the portal sends them: every command with its own Idempotency-Key.
        {
          'content-type': 'application/json',
          cookie: `concord_session=${rep}`,
          'idempotency-key': randomUUID(),
        },
        JSON.stringify({ stance, reason: stance === 'consent' ? null : `step ${step}` }),
      )
        .then((response) => response.status)
        .catch(() => 0)
        .then((status) => {
          latencies[index] = performance.now() - due;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(sends);
  const cpu = process.cpuUsage(cpuBefore);
  process.send({
    latencies: Array.from(latencies),
    statuses,
    sentOver: (performance.now() - start) / 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
});
