import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The lock file inside a data folder. */
export const LOCK_FILE = 'concord.lock';

/** Who holds a data folder, as its lock file says. */
export interface LockOwner {
  pid: number;
  host: string;
  /** What holds it: `server`, or a CLI command such as `concord restore`. */
  role: string;
  /** Where a server that holds it answers, when it is one. */
  url?: string;
  since: string;
}

/** The data folder is held by another live process. */
export class DataFolderLockedError extends Error {
  readonly code = 'DATA_FOLDER_LOCKED';
  constructor(
    readonly folder: string,
    readonly owner: LockOwner | undefined,
  ) {
    const who = owner
      ? `${owner.role === 'server' ? 'a running Concord server' : `"${owner.role}"`} (pid ${owner.pid} on ${owner.host}${owner.url ? `, ${owner.url}` : ''}, since ${owner.since})`
      : 'another process';
    super(`the data folder ${folder} is in use by ${who}`);
    this.name = 'DataFolderLockedError';
  }
}

interface NativeLocks {
  tryLock(fd: number, offset?: number, length?: number, options?: { shared?: boolean }): boolean;
}

const require = createRequire(import.meta.url);
let native: NativeLocks | undefined;
function locks(): NativeLocks {
  native ??= require('fs-native-extensions') as NativeLocks;
  return native;
}

/** A held lock; `release()` (or the process ending, however it ends) lets the next owner in. */
export interface DataFolderLock {
  readonly folder: string;
  release(): void;
}

/**
 * Makes this process the one owner of a data folder (ADR 0010), or throws `DataFolderLockedError` at once.
 *
 * The lock is the operating system's: an exclusive lock on `concord.lock` in the folder (an open file
 * description lock on Linux, `flock` on macOS, `LockFileEx` on Windows, through fs-native-extensions'
 * prebuilt addon). The kernel drops it when the process ends, however it ends (SIGKILL, a crash, a power
 * cut), so there is never a stale lock to clean up; the file that stays behind only names the last owner.
 * The lock is per open file, so a second open in the same process is refused too.
 */
export function lockDataFolder(
  folder: string,
  owner: Omit<LockOwner, 'pid' | 'host' | 'since'>,
): DataFolderLock {
  const dir = resolve(folder);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const fd = openSync(path, 'a+');
  let held = false;
  try {
    held = locks().tryLock(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!held) {
    closeSync(fd);
    throw new DataFolderLockedError(dir, readOwner(path));
  }
  const record: LockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...owner,
  };
  ftruncateSync(fd, 0);
  writeSync(fd, `${JSON.stringify(record)}\n`, 0);
  let released = false;
  return {
    folder: dir,
    release() {
      if (released) return;
      released = true;
      closeSync(fd);
    },
  };
}

/** The owner named in a lock file, if it can be read. */
export function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
