export {
  type DataFolderLock,
  DataFolderLockedError,
  LOCK_FILE,
  type LockOwner,
  lockDataFolder,
  readOwner,
} from './data-folder-lock.ts';
export * from './errors.ts';
export { EventStoreDbEventStore, openEventStoreDbEventStore } from './eventstoredb/store.ts';
export {
  checkpointJsonLine,
  type ExportLine,
  type ExportVerifyResult,
  parseExportLine,
  streamHeadJsonLine,
  verifyExportLines,
} from './export-lines.ts';
export {
  chainDigest,
  contentDigest,
  type DigestedFields,
  eventHash,
  GENESIS_HASH,
  type Placement,
} from './hash.ts';
export { eventStoreKind, openEventStoreUrl } from './open-url.ts';
export { copyIn, copyOut } from './postgres/copy.ts';
export { type DatabaseDriver, DriverKysely, driverOf, pgliteExclusive } from './postgres/driver.ts';
export { syncPath } from './postgres/durable-fs.ts';
export { migrateSchema } from './postgres/migrate-schema.ts';
export {
  DEFAULT_POOL_SIZE,
  openPglite,
  openPgliteEventStore,
  openPostgres,
  openPostgresEventStore,
} from './postgres/open.ts';
export { pgliteCopyIn, pgliteCopyOut } from './postgres/pglite-copy.ts';
export type { EventTransform, RewriteOptions, RewrittenEvent } from './postgres/rewrite.ts';
export { migrateEventStore } from './postgres/schema.ts';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/store.ts';
export { AppendSignal, pollingSubscription } from './subscription.ts';
export type * from './types.ts';
export { MAX_UNCHANGED } from './unchanged.ts';
export { type ExpectedStreamHead, type ExpectedStreamHeads, verifyEvents } from './verify.ts';
