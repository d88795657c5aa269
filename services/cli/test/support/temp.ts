import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders for a test file: `temp(name)` makes one (`concord-<name>-…` in the system's temporary
 * folder), `removeAll()` removes every one made so far (after the file's tests, once what uses them stopped).
 */
export function tempFolders() {
  const dirs: string[] = [];
  return {
    temp(name: string): string {
      const dir = mkdtempSync(join(tmpdir(), `concord-${name}-`));
      dirs.push(dir);
      return dir;
    },
    removeAll(): void {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
