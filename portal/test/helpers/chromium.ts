// Debian's Chromium driven by playwright-core: never a browser download.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The launch flags this machine needs (see TOOLCHAIN.md): no sandbox as root, no background traffic. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function aptInstallChromium(): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env }).status === 0;
  if (install()) return true;
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  return install();
}

let unavailable: string | null | undefined;

/**
 * Null when Chromium can be used (installing Debian's package first when it is missing and we are
 * root with apt-get), otherwise why not, for a skip message. In CI a missing browser is an error.
 */
export function chromiumUnavailable(): string | null {
  if (unavailable !== undefined) return unavailable;
  if (existsSync(chromiumPath)) {
    unavailable = null;
  } else if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`[portal tests] ${chromiumPath} is missing: installing Debian's chromium with apt-get`);
    unavailable =
      aptInstallChromium() && existsSync(chromiumPath) ? null : 'apt-get could not install chromium';
  } else {
    unavailable = `${chromiumPath} is missing and can't be installed here (needs root and apt-get): apt-get install -y chromium`;
  }
  if (unavailable && (process.env.CI === 'true' || process.env.CI === '1')) {
    throw new Error(`[portal tests] browser tests can't run in CI: ${unavailable}`);
  }
  if (unavailable) console.warn(`[portal tests] SKIPPING browser tests: ${unavailable}`);
  return unavailable;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    timeout: 60_000,
  });
}
