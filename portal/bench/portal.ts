// `pnpm bench portal`: what a first visit costs on a slow connection.
//   js_gzip_kb    the JavaScript the visit loads, each file gzip-compressed (level 9), summed
//   lcp_ms_slow3g Largest Contentful Paint in Chromium under slow 3G via CDP: 2,000 ms latency,
//                 50 KB/s down and up, empty cache; the person signed in beforehand without throttling.
// Targets: ≤ 50 KB and ≤ 4,000 ms. The last line printed is one JSON object with the figures.
//
// Usage: tsx portal/bench/portal.ts [--path /] [--runs 3] [--url http://127.0.0.1:3000 --email … --password …]
//   default: the dashboard (`/`), signed in as a representative, on a real Concord started here: the API's
//            server with the built portal mounted (one process), the demo coalition seeded (`--demo`),
//            PGlite in a temporary directory (test/helpers/concord.ts);
//   --path /sign-in: a signed-out page (no sign-in step);
//   --path open-proposal: the page of the first open proposal (its id differs from one demo to the next);
//   --url: a running Concord instead (e.g. `pnpm start --demo`); --email/--password then sign in there.
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../test/helpers/chromium.ts';
import { startConcord } from '../test/helpers/concord.ts';

const { values: args } = parseArgs({
  options: {
    path: { type: 'string', default: '/' },
    runs: { type: 'string', default: '3' },
    url: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
  },
});

const slow3g = { offline: false, latency: 2_000, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 };
const signedOutPaths = new Set(['/sign-in']);

interface Run {
  lcpMs: number;
  jsGzipBytes: number;
  jsFiles: number;
  requests: number;
  transferredBytes: number;
}

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/sign-in`);
  await page.locator('#email').fill(credentials.email);
  await page.locator('#password').fill(credentials.password);
  await page.locator('form.stacked button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/sign-in', { timeout: 30_000 });
}

/** The path of the first open proposal on the proposals page, found before the measured visit. */
async function firstOpenProposal(page: Page, base: string): Promise<string> {
  await page.goto(`${base}/proposals?status=open`);
  const paths = await page
    .locator('main a[href^="/proposals/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  const found = paths.find((href) => /^\/proposals\/[0-9a-f-]{36}$/.test(href));
  if (!found) throw new Error('no open proposal to visit');
  return found;
}

async function measure(browser: Browser, base: string, path: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    if (!signedOutPaths.has(path)) await signIn(page, base);
    if (path === 'open-proposal') path = await firstOpenProposal(page, base);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await page.goto('about:blank');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', slow3g);

    let requests = 0;
    let transferredBytes = 0;
    cdp.on('Network.loadingFinished', (event) => {
      requests += 1;
      transferredBytes += event.encodedDataLength;
    });
    const scripts: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });

    const response = await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: 300_000 });
    if (!response?.ok()) throw new Error(`${path} answered ${response?.status()}`);
    await page.waitForLoadState('networkidle', { timeout: 300_000 });
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    const sizes = await Promise.all(scripts);
    return {
      lcpMs: Math.round(lcpMs),
      jsGzipBytes: sizes.reduce((sum, size) => sum + size, 0),
      jsFiles: sizes.length,
      requests,
      transferredBytes,
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const unavailable = chromiumUnavailable();
if (unavailable) {
  console.error(`[bench portal] Chromium is needed: ${unavailable}`);
  process.exit(1);
}

const stopAll: (() => Promise<void>)[] = [];
let base = args.url;
const credentials = { email: args.email ?? '', password: args.password ?? '' };
if (!base) {
  const concord = await startConcord({ demo: true });
  stopAll.push(concord.stop);
  base = concord.url;
  const representative = concord.demo?.people.find((person) => person.role === 'representative');
  credentials.email = representative?.email ?? '';
  credentials.password = concord.demo?.password ?? '';
  console.log(
    `[bench portal] Concord (API + portal, demo coalition) at ${base}, signed in as ${credentials.email}`,
  );
} else if (!signedOutPaths.has(args.path) && (!credentials.email || !credentials.password)) {
  console.error('[bench portal] --url needs --email and --password to sign in');
  process.exit(1);
}

const browser = await launchChromium();
try {
  const runs: Run[] = [];
  const count = Math.max(1, Number(args.runs) || 1);
  for (let i = 0; i < count; i++) {
    const run = await measure(browser, base, args.path);
    runs.push(run);
    console.log(
      `[bench portal] run ${i + 1}/${count} ${args.path}: LCP ${run.lcpMs} ms, JS ${run.jsFiles} files ` +
        `${(run.jsGzipBytes / 1024).toFixed(1)} KB gzip, ${run.requests} requests ` +
        `${(run.transferredBytes / 1024).toFixed(1)} KB transferred`,
    );
  }
  const jsGzipKb = Math.round((median(runs.map((run) => run.jsGzipBytes)) / 1024) * 10) / 10;
  const lcpMs = median(runs.map((run) => run.lcpMs));
  console.log(
    `[bench portal] median of ${count}: LCP ${lcpMs} ms (target ≤ 4000), JS ${jsGzipKb} KB gzip (target ≤ 50)`,
  );
  console.log(JSON.stringify({ bench: 'portal', js_gzip_kb: jsGzipKb, lcp_ms_slow3g: lcpMs }));
} finally {
  await browser.close();
  for (const stop of stopAll.reverse()) await stop();
}
