// `pnpm bench reset`: does a password-reset request take as long for an address with an account as for
// one without? (Issue 18: it took ~325 ms against 3–9 ms while the mail went out on the request path, which
// told anyone which addresses have accounts.) A real server (PGlite) over real HTTP, with a real SMTP
// server on loopback that answers each step after --smtp-delay ms (150), like a distant relay. Samples of
// known and unknown addresses alternate in a random order, each taken while the outbox is idle, so the
// machine's load falls on both sides alike. Each sample runs from sending the request to reading the
// whole answer; none is dropped.
// Options: --samples N (200), --smtp-delay N (150).
// Last line: {"bench":"reset","samples":N,"known_median_ms":N,"unknown_median_ms":N,"difference_ms":N,...}
import { SmtpMailer } from '../src/mail.ts';
import { loopbackSmtp } from '../test/support/smtp.ts';
import { testApp } from '../test/support/world.ts';
import { quantile, round } from './coalition.ts';
import { option } from './options.ts';

const samples = option('samples', 200);
const smtpDelayMs = option('smtp-delay', 150);
const log = (message: string) => console.log(`[reset] ${message}`);

const smtp = await loopbackSmtp(smtpDelayMs);
const t = await testApp({
  mailer: new SmtpMailer(smtp.url, 'Concord <concord@localhost>'),
  resetLimits: {
    perEmail: { max: 10, windowMs: 3_600_000 },
    perClient: { max: 1_000_000, windowMs: 3_600_000 },
  },
});
const warmUp = 5;
for (let index = 0; index < samples + warmUp; index++) {
  await t.app.auth.createPerson({
    email: `known${index}@example.org`,
    name: `Known ${index}`,
    password: 'correct horse battery',
  });
}
const base = await t.app.listen({ port: 0, host: '127.0.0.1' });

async function reset(email: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}/api/auth/password-reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 202) throw new Error(`reset for ${email} answered ${response.status}`);
  return elapsed;
}

// Warm-up (JIT, connections, the statement cache), not counted.
for (let index = 0; index < warmUp; index++) {
  await reset(`known${samples + index}@example.org`);
  await reset(`warm${index}@nowhere.example.org`);
}
await t.app.mailOutbox.idle();
const known: number[] = [];
const unknown: number[] = [];
for (let index = 0; index < samples; index++) {
  const pair: [number[], string][] = [
    [known, `known${index}@example.org`],
    [unknown, `unknown${index}@nowhere.example.org`],
  ];
  if (Math.random() < 0.5) pair.reverse();
  for (const [into, email] of pair) {
    into.push(await reset(email));
    // The sender does its work (and waits for the slow server) between samples, not during one.
    await t.app.mailOutbox.idle();
  }
}
const mails = await smtp.delivered(samples + warmUp);
const onlyKnown = mails.every((mail) => mail.to[0]?.startsWith('known'));
await t.close();
await smtp.close();

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const paired = known.map((ms, index) => ms - unknown[index]!);
const result = {
  bench: 'reset',
  samples,
  smtp_delay_ms: smtpDelayMs,
  known_median_ms: round(median(known)),
  unknown_median_ms: round(median(unknown)),
  difference_ms: round(Math.abs(median(known) - median(unknown))),
  paired_difference_median_ms: round(median(paired)),
  known_p99_ms: round(
    quantile(
      [...known].sort((a, b) => a - b),
      0.99,
    ),
  ),
  unknown_p99_ms: round(
    quantile(
      [...unknown].sort((a, b) => a - b),
      0.99,
    ),
  ),
  mails_only_to_known_addresses: onlyKnown,
  target_difference_ms: 5,
};
log(`${samples} pairs; ${mails.length} mails delivered, all to known addresses: ${onlyKnown}`);
console.log(JSON.stringify(result));
