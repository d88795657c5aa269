// `pnpm bench notify`: a real server (PGlite in a temporary directory, or the local PostgreSQL with
// --postgres) with N people (one representative per member organization), E comments appended at a fixed
// open-loop rate, each mentioning one other person, so each event owes exactly one immediate mail; the
// mails go through the notification processor and the outbox to a loopback SMTP server (smtp-server, in
// a worker thread of its own). Lag: from the moment each event's append returned (its commit) to the
// SMTP server receiving the end of that mail's DATA, matched by the mail's Message-ID (fixed by person
// and cause). Every expected mail counts: one that never arrives within the timeout counts as the
// timeout; none is dropped. Throughput: mails received over the time from the first commit to the last
// mail.
// Options: --people N (1000), --events N (10000), --rate N events per second (600), --timeout ms
// (30000), --smtp-url-query (nodemailer's transport options in SMTP_URL;
// "pool=true&maxConnections=10&maxMessages=10000" unless told, "none" for a connection per mail), --postgres.
// Last line: {"bench":"notify","people":N,"events":N,"mails_per_s":N,"lag_p99_ms":N,...}
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { SmtpMailer } from '../src/mail.ts';
import { messageIdFor } from '../src/notifications/mails.ts';
import { benchCoalition, quantile, round } from './coalition.ts';
import { option, textOption } from './options.ts';

const people = option('people', 1000);
const events = option('events', 10_000);
const rate = option('rate', 600);
const timeoutMs = option('timeout', 30_000);
const query = textOption('smtp-url-query', 'pool=true&maxConnections=10&maxMessages=10000');
const postgres = process.argv.includes('--postgres');
const drafts = 20;
const PUBLIC_URL = 'https://concord.bench.example';
const now = () => performance.timeOrigin + performance.now();
const log = (message: string) => console.log(`[notify] ${message}`);

const smtp = new Worker(new URL('./notify-smtp.mjs', import.meta.url));
smtp.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
const next = (type: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type !== type) return;
      smtp.off('message', onMessage);
      resolve(message);
    };
    smtp.on('message', onMessage);
  });
const { port } = (await next('ready')) as { port: number };
const smtpUrl = `smtp://127.0.0.1:${port}${query && query !== 'none' ? `?${query}` : ''}`;
/** First arrival of each Message-ID (a repeat is counted apart, never twice). */
const arrivals = new Map<string, number>();
let repeats = 0;
async function take(): Promise<void> {
  smtp.postMessage({ type: 'take' });
  const { accepted } = (await next('accepted')) as { accepted: [string, number][] };
  for (const [id, at] of accepted) {
    if (arrivals.has(id)) repeats++;
    else arrivals.set(id, at);
  }
}

const coalition = await benchCoalition({
  organizations: people,
  proposals: 1,
  postgres,
  server: {
    mailer: new SmtpMailer(smtpUrl, 'Concord <concord@bench.example>'),
    publicUrl: PUBLIC_URL,
    // Deadlines and digests are not measured here.
    notifications: { intervalMs: 3_600_000 },
  },
});
const { app } = coalition;
const { representatives } = coalition;
log(`server (${coalition.database}) with ${representatives.length} people; SMTP on ${smtpUrl}`);

// The seeded proposal's opening mails go first, outside the measure.
await app.notifications.processor.waitFor(await app.eventStore.head());
await app.mailOutbox.idle();
await take();
log(`seeding mails received: ${arrivals.size}`);
arrivals.clear();

// Drafts to comment on: a draft notifies nobody, a comment on it mentions whom it names.
const draftIds: string[] = [];
for (let index = 0; index < drafts; index++) {
  const rep = representatives[index % representatives.length]!;
  const proposalId = `bench-draft-${index}`;
  const drafted = await app.commandBus.execute(
    {
      type: 'DraftProposal',
      actor: { role: 'representative', personId: rep.personId, organizationId: rep.organizationId },
      now: new Date().toISOString(),
      proposalId,
      title: `Bench ${index}`,
      body: 'Comments mention people.',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: null,
        adoptSops: [{ sopId: `bench-sop-${index}`, title: 'Meetings', text: 'Monthly.' }],
        retireSopIds: [],
      },
    },
    { commandId: randomUUID(), correlationId: 'bench' },
  );
  if (!drafted.ok) throw new Error(`draft refused: ${drafted.error.code}`);
  draftIds.push(proposalId);
}
await app.notifications.processor.waitFor(await app.eventStore.head());

/** Per event: when its append returned, and the Message-ID of the mail it owes. */
const expected: { committed: number; messageId: string }[] = [];
let refused = 0;
async function comment(index: number): Promise<void> {
  const author = representatives[index % representatives.length]!;
  const mentioned = representatives[(index + 1) % representatives.length]!;
  const outcome = await app.commandBus.execute(
    {
      type: 'CommentOnProposal',
      actor: { role: 'representative', personId: author.personId, organizationId: author.organizationId },
      now: new Date().toISOString(),
      proposalId: draftIds[index % draftIds.length]!,
      commentId: randomUUID(),
      text: `@{${mentioned.personId}} please look (bench ${index})`,
    },
    { commandId: randomUUID(), correlationId: 'bench' },
  );
  const committed = now();
  if (!outcome.ok) {
    refused++;
    return;
  }
  const eventId = outcome.result.events[0]!.id;
  expected.push({
    committed,
    messageId: messageIdFor(mentioned.personId, `mentioned:${eventId}`, PUBLIC_URL),
  });
}

// Open loop: one comment every 1000/rate ms, whatever the earlier ones are doing.
const started = now();
const running: Promise<void>[] = [];
for (let index = 0; index < events; index++) {
  const due = started + (index * 1000) / rate;
  const wait = due - now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  running.push(comment(index));
  if (index % 1000 === 999) await take();
}
await Promise.all(running);
const lastCommit = Math.max(...expected.map((entry) => entry.committed));
log(`${expected.length} events appended in ${Math.round(lastCommit - started)} ms (${refused} refused)`);

// Collect until every expected mail is in, or the timeout after the last commit has passed.
const deadline = lastCommit + timeoutMs;
for (;;) {
  await take();
  if (expected.every((entry) => arrivals.has(entry.messageId)) || now() > deadline) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const lags = expected
  .map((entry) => {
    const at = arrivals.get(entry.messageId);
    return at === undefined ? timeoutMs : Math.min(timeoutMs, at - entry.committed);
  })
  .sort((a, b) => a - b);
const received = expected.filter((entry) => arrivals.has(entry.messageId));
const missed = expected.length - received.length + refused;
const firstCommit = Math.min(...expected.map((entry) => entry.committed));
const lastMail = Math.max(...received.map((entry) => arrivals.get(entry.messageId) as number));
const mailsPerSecond = received.length / ((lastMail - firstCommit) / 1000);
log(
  `received ${received.length} of ${expected.length} expected mails (${repeats} repeats), ` +
    `lag p50 ${round(quantile(lags, 0.5))} ms, p99 ${round(quantile(lags, 0.99))} ms, max ${round(lags.at(-1) ?? 0)} ms`,
);

// Where the mails were at the end: notified (processor), queued and sent (outbox).
const { rows: stages } = await sql<Record<string, string>>`SELECT
    (SELECT count(*) FROM api.notifications WHERE kind = 'mentioned') AS notified,
    (SELECT count(*) FROM api.mail_outbox WHERE cause LIKE 'mentioned:%') AS queued,
    (SELECT count(*) FROM api.mail_outbox WHERE cause LIKE 'mentioned:%' AND sent_at IS NOT NULL) AS sent,
    (SELECT extract(epoch FROM max(created_at) - min(created_at)) * 1000 FROM api.notifications
      WHERE kind = 'mentioned') AS notified_over_ms,
    (SELECT extract(epoch FROM max(sent_at) - min(created_at)) * 1000 FROM api.mail_outbox
      WHERE cause LIKE 'mentioned:%') AS sent_over_ms`.execute(app.database);
log(`at the end: ${JSON.stringify(stages[0])}`);

smtp.postMessage({ type: 'close' });
await coalition.close();
console.log(
  JSON.stringify({
    bench: 'notify',
    people,
    events,
    mails_per_s: round(mailsPerSecond),
    lag_p99_ms: round(quantile(lags, 0.99)),
    lag_p50_ms: round(quantile(lags, 0.5)),
    missed,
    repeats,
    rate,
    database: coalition.database,
  }),
);
process.exit(0);
