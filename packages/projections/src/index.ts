/**
 * @concord/projections: the read models members and auditors look at, kept exactly current by the
 * projector, rebuilt from the events on demand, compared row by row, and looked at "as of" any moment.
 */
export { type AsOf, asOf, type PartnershipAsOf } from './as-of.ts';
export {
  BACKUP_TABLES,
  BACKUP_VERSION,
  BackupRefusedError,
  type BackupSummary,
  backupLines,
  backupStream,
  restoreBackup,
  verifyBackup,
} from './backup.ts';
export { type Comparison, compareReadModels, type TableDifference } from './compare.ts';
export {
  AUDIT_CSV_COLUMNS,
  AUDIT_CSV_HEADER,
  type AuditExportFilter,
  auditCsvLine,
  csvField,
  type ExportNames,
  type ExportRange,
  eventJsonLine,
  exportAuditCsv,
  exportEventsJsonl,
  PSEUDONYMOUS,
} from './export.ts';
export { type AppliedBatch, CheckpointMovedError } from './projector/apply.ts';
export { catchUpReadModels } from './projector/catch-up.ts';
export { decode, type ProjectedEvent } from './projector/decode.ts';
export { Projector, type ProjectorLogger, type ProjectorOptions } from './projector/projector.ts';
export {
  type BuildOptions,
  type BuildResult,
  buildReadModels,
  type RebuildOptions,
  rebuild,
} from './projector/rebuild.ts';
export { type AuditFilter, type ProposalFilter, type ReadModels, readModels } from './queries/read-models.ts';
export type * from './queries/types.ts';
export { formatMoney } from './read-models/audit/projection.ts';
export { BUDGET_CSV_COLUMNS, budgetCsv } from './read-models/budget/csv.ts';
export { type ViewChange, viewChangeKey } from './read-models/view.ts';
export { DEFAULT_SCHEMA, migrateReadModels } from './schema/migrate.ts';
export type { ReadModelDatabase } from './schema/tables.ts';
