import { closeSync, fdatasyncSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { WalSync } from './wal-sync.ts';

/**
 * PGlite's Node filesystem with PostgreSQL's syncs made real (ADR 0010).
 *
 * PGlite 0.5.17 runs PostgreSQL in WebAssembly over Emscripten's NODEFS, and as shipped none of
 * PostgreSQL's syncs reach the disk: it starts the server with `-F` (fsync = off), Emscripten's
 * `fdatasync` system call only checks the descriptor, and its `fsync` calls the stream's `fsync`
 * operation, which NODEFS does not have. Traced, a committed transaction is a `pwrite64` to the WAL and
 * nothing more. Here both calls end in Node's `fsyncSync`/`fdatasyncSync` on the real descriptor, so
 * with fsync on PostgreSQL's own rules hold again: a commit returns only after its WAL is on disk
 * (`wal_sync_method = fdatasync`), and a checkpoint syncs the data files before the WAL they need is
 * recycled.
 */
export class DurableNodeFS extends NodeFS {
  /** The appends' WAL flushes, put off to Node's thread pool (ADR 0034). */
  readonly wal = new WalSync();
  /** Writes PostgreSQL has made to the WAL since it started: the checkpointer's sign of a busy database (ADR 0040). */
  walWrites = 0;
  /** Called as PostgreSQL starts writing a WAL segment other than the one it wrote last. */
  onWalSegment: (() => void) | undefined;
  #lastSegment: string | undefined;

  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const { emscriptenOpts } = await super.init(pg, options);
    const { wal } = this;
    const walWritten = (stream: Stream) => {
      this.walWrites++;
      // A segment, not the temporary file a new one is zero-filled under before its rename.
      if (stream.path === this.#lastSegment || !SEGMENT.test(stream.path ?? '')) return;
      this.#lastSegment = stream.path;
      this.onWalSegment?.();
    };
    // The module, once Emscripten has made it: its FS maps descriptors to streams.
    let module: { FS: { getStreamChecked(fd: number): Stream } } | undefined;
    const instantiate = emscriptenOpts.instantiateWasm;
    if (!instantiate) throw new Error('PGlite no longer instantiates its module itself: check DurableNodeFS');
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        // The WebAssembly imports are the system calls; `fdatasync` is a no-op there, so it is replaced
        // before the module is instantiated with them.
        instantiateWasm(imports: { env: Record<string, unknown> }, done: (instance: unknown) => void) {
          imports.env.__syscall_fdatasync = (fd: number): number => {
            try {
              if (!module) throw new Error('fdatasync before the module was ready');
              const stream = module.FS.getStreamChecked(fd);
              if (stream.nfd !== undefined && isWal(stream) && wal.putOff(stream.nfd)) return 0;
              wal.now();
              return sync(stream, true);
            } catch (error) {
              return -errnoOf(error);
            }
          };
          return (instantiate as (i: unknown, d: unknown) => unknown)(imports, done);
        },
        preRun: [
          ...(emscriptenOpts.preRun ?? []),
          (mod: { FS: { getStreamChecked(fd: number): Stream }; NODEFS: { stream_ops: StreamOps } }) => {
            module = mod;
            const ops = mod.NODEFS.stream_ops;
            // `fsync` (WASI fd_sync) calls the stream's operation; NODEFS has none.
            ops.fsync = (stream: Stream) => {
              wal.now();
              return sync(stream, false);
            };
            // WAL before anything that depends on it: flushes put off are made before another file is
            // written, and before a WAL file's descriptor is closed (ADR 0034).
            const { write, close } = ops;
            ops.write = (stream: Stream, ...rest: unknown[]) => {
              if (isWal(stream)) walWritten(stream);
              else if (wal.owing) wal.now();
              return write(stream, ...rest);
            };
            ops.close = (stream: Stream) => {
              if (stream.nfd !== undefined && wal.holds(stream.nfd)) wal.now();
              return close(stream);
            };
          },
        ],
      } as typeof emscriptenOpts,
    };
  }
}

interface Stream {
  nfd?: number;
  path?: string;
}
interface StreamOps {
  fsync?: (stream: Stream) => number;
  write: (stream: Stream, ...rest: unknown[]) => number;
  close: (stream: Stream) => void;
}

/** A WAL segment's path: its name is 24 hexadecimal digits. */
const SEGMENT = /\/pg_wal\/[0-9A-F]{24}$/;

/** A file of PostgreSQL's write-ahead log. */
function isWal(stream: Stream): boolean {
  return stream.path?.includes('/pg_wal/') ?? false;
}

/** Syncs the Node descriptor behind an Emscripten stream; an I/O error becomes the call's errno. */
function sync(stream: Stream, dataOnly: boolean): number {
  if (stream.nfd === undefined) return 0; // not a NODEFS file (a device, a pipe): nothing on disk
  try {
    (dataOnly ? fdatasyncSync : fsyncSync)(stream.nfd);
    return 0;
  } catch (error) {
    // PostgreSQL treats a failed fsync as fatal (data_sync_retry = off): it must hear of it.
    throw Object.assign(new Error((error as Error).message), { name: 'ErrnoError', errno: errnoOf(error) });
  }
}

/** Emscripten's errno numbers (musl's), from a Node error's code. */
const ERRNO: Record<string, number> = { EIO: 29, ENOSPC: 51, EROFS: 69, EBADF: 8, EDQUOT: 19, EACCES: 2 };
function errnoOf(error: unknown): number {
  const { errno, code } = (error ?? {}) as { errno?: number; code?: string };
  if (code && ERRNO[code]) return ERRNO[code];
  return typeof errno === 'number' && errno > 0 ? errno : 29;
}

/**
 * PGlite's default start parameters without `-F`, with the sync settings spelled out, and shared buffers of
 * 32 MB (ADR 0038).
 */
export function durableStartParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
  if (!Array.isArray(defaults) || !defaults.includes('--single')) {
    throw new Error('PGlite.defaultStartParams is not what DurableNodeFS expects: check ADR 0010');
  }
  return [
    ...defaults.filter((param) => param !== '-F'),
    ...['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'wal_sync_method=fdatasync'],
    // Room for a large transaction's WAL until its commit writes and flushes it in one go (4 MB by default).
    ...['-c', 'wal_buffers=16MB'],
    // The buffers live in PGlite's WebAssembly memory, which never shrinks: at PostgreSQL's 128 MB they stay
    // resident in the server's process once used. The operating system caches the files as well.
    ...['-c', 'shared_buffers=32MB'],
    // Segments kept for reuse after a checkpoint, at most 16: as many as our checkpointer lets the WAL
    // grow by before it checkpoints whatever the load (ADR 0040).
    ...['-c', 'max_wal_size=256MB'],
  ];
}

/** Options that open a durable PGlite in `dataDir`. */
export function durablePgliteOptions(dataDir: string): PGliteOptions & { fs: DurableNodeFS } {
  return { fs: new DurableNodeFS(dataDir), startParams: durableStartParams() };
}

/**
 * Syncs every file and folder under `dir`, deepest first (as `initdb --sync-only` does). PGlite writes a
 * new data directory by unpacking an archive, which syncs nothing; done once after that.
 */
export function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else if (entry.isFile()) syncPath(path);
  }
  syncPath(dir);
}

/** Syncs one file or folder (a folder: its entries, i.e. files created or renamed in it). */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
