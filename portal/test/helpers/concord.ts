// A real Concord for the browser tests and the benchmark: the API's own server (`buildServer`) with the
// portal mounted in the same Fastify instance (the single process `main.ts` starts), on a free port,
// PGlite in a temporary data directory. One-time links (invitations, password resets) are kept in memory
// so a test can follow them; `--demo`'s seeding is available for a populated coalition.
//
// One per test file: the portal's built handler reads API_URL once, when it is first imported.
//
// Seeding the demo takes a fresh PGlite's initdb, every migration and some hundred commands: some 15 s
// on a busy machine, in each of a dozen files. The test run seeds it once (`seedDemoTemplate`, from
// the portal project's global set-up) and each file starts on its own copy of that data directory.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openPglite, PostgresEventStore } from '../../../packages/event-store/src/index.ts';
import { Ed25519Signer } from '../../../packages/transparency/src/index.ts';
import { type DemoSummary, seedDemo } from '../../../services/api/src/demo/seed.ts';
import { MemoryMailer } from '../../../services/api/src/mail.ts';
import { buildServer } from '../../../services/api/src/server.ts';
import { testServerOptions } from '../../../services/api/test/support/world.ts';
import { ensurePortalBuild } from '../../scripts/ensure-build.mjs';
import { portal } from '../../server-mount.ts';
import { freePort } from './portal.ts';

export interface RunningConcord {
  url: string;
  app: FastifyInstance;
  mailer: MemoryMailer;
  demo: DemoSummary | null;
  /** The instance key signing the witnessed log's checkpoints (null when the log is off). */
  logSigner: Ed25519Signer | null;
  /** The first-facilitator link an empty install prints (null once someone set up). */
  setupLink(): Promise<string | null>;
  /**
   * The last one-time link mailed to `email`, rewritten onto this server's address (after the mail
   * outbox has sent what it holds: reset mails leave in the background).
   */
  lastLink(email: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ConcordOptions {
  /** Seed the demo coalition first (as `start --demo` does). */
  demo?: boolean;
  /** How often scheduled decisions are tried (the default 30 s is long for a test). */
  schedulerIntervalMs?: number;
  /**
   * Whether mail reaches people (default true). False is the embedded default without SMTP_URL: whoever
   * invites is handed the link to pass on, and the portal must say so.
   */
  mailDelivers?: boolean;
  /**
   * Run the witnessed log (ADR 0009), as `main.ts` always does; off by default (its routes answer 503).
   * It signs a checkpoint once it has logged the first events, then only when asked
   * (`app.witnessedLog.checkpointNow()`), so a test knows which checkpoint is the latest.
   */
  witnessedLog?: boolean;
  /**
   * The API's clock (deadlines, reminders, "time left"); a test moves it to reach a moment without
   * waiting. Default: the real time.
   */
  clock?: () => Date;
}

/** Where the global set-up left the seeded demo's data directory (`seedDemoTemplate`). */
const templateVariable = 'CONCORD_TEST_DEMO_TEMPLATE';
const summaryFile = 'demo.json';

/**
 * Seeds the demo coalition into a new data directory under `parent`, closes it, and names it in the
 * environment for the test files (workers inherit it). Answers the directory.
 */
export async function seedDemoTemplate(parent = tmpdir()): Promise<string> {
  const dir = mkdtempSync(join(parent, 'concord-demo-template-'));
  const { db } = await openPglite(join(dir, 'pg'), { durable: false });
  const store = new PostgresEventStore(db, { pollIntervalMs: 20 });
  await store.migrate();
  const demo = await seedDemo({ store, db });
  await store.close();
  await db.destroy();
  writeFileSync(join(dir, summaryFile), JSON.stringify(demo));
  process.env[templateVariable] = dir;
  return dir;
}

/** A copy of the seeded demo (the template, or a new seeding without one, e.g. in the benchmark). */
async function demoDataDir(dataDir: string): Promise<DemoSummary | null> {
  const template = process.env[templateVariable];
  if (!template || !existsSync(join(template, summaryFile))) return null;
  cpSync(join(template, 'pg'), join(dataDir, 'pg'), { recursive: true });
  return JSON.parse(readFileSync(join(template, summaryFile), 'utf8')) as DemoSummary;
}

export async function startConcord(options: ConcordOptions = {}): Promise<RunningConcord> {
  ensurePortalBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-portal-'));
  const copied = options.demo ? await demoDataDir(dataDir) : null;
  // Scratch data: the durable file system (ADR 0010) has its own tests; here it would only add fsyncs.
  const { db } = await openPglite(join(dataDir, 'pg'), { durable: false });
  const store = new PostgresEventStore(db, { pollIntervalMs: 20 });
  await store.migrate();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const demo = copied ?? (options.demo ? await seedDemo({ store, db, publicUrl: url }) : null);

  // The portal calls the API in this very process (as main.ts's default, http://127.0.0.1:$PORT).
  process.env.API_URL = url;
  const mailer = new MemoryMailer(options.mailDelivers ?? true);
  const logSigner = options.witnessedLog ? Ed25519Signer.generate('concord.test/portal') : null;
  const app = await buildServer({
    store,
    db,
    ...testServerOptions,
    mailer,
    publicUrl: url,
    ...(options.clock ? { clock: options.clock } : {}),
    schedulerIntervalMs: options.schedulerIntervalMs ?? 250,
    transparency: logSigner
      ? { signer: logSigner, minGapMs: 3_600_000, tickMs: 3_600_000, pollIntervalMs: 20 }
      : null,
  });
  await app.register(portal);
  await app.listen({ port, host: '127.0.0.1' });

  return {
    url,
    app,
    mailer,
    demo,
    logSigner,
    setupLink: () => app.auth.setupLinkIfNeeded(),
    async lastLink(email) {
      await app.mailOutbox.idle();
      const mail = mailer.outbox.findLast((candidate) => candidate.to === email);
      if (!mail) throw new Error(`no mail to ${email}`);
      const link = new URL(mail.link);
      return `${url}${link.pathname}${link.search}`;
    },
    async stop() {
      await app.close();
      await store.close();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
