// The portal project's global set-up: the demo coalition seeded once for every browser test file
// (each starts on a copy, see `startConcord`), removed when the run ends.
import { rmSync } from 'node:fs';
import { seedDemoTemplate } from './concord.ts';

export default async function setup(): Promise<() => void> {
  const dir = await seedDemoTemplate();
  return () => rmSync(dir, { recursive: true, force: true });
}
