import { migrateSchema } from '@concord/event-store';
import type { Kysely, Migration } from 'kysely';
import type { TableSpec } from './columns.ts';
import { tables } from './migrations/0001-tables.ts';
import { indexes } from './migrations/0002-indexes.ts';
import { idCollation } from './migrations/0003-id-collation.ts';
import { representativeConfirmation } from './migrations/0004-representative-confirmation.ts';
import { proposalTranslations } from './migrations/0005-proposal-translations.ts';
import { auditData } from './migrations/0006-audit-data.ts';
import { expenses } from './migrations/0007-expenses.ts';
import { disbursementsAndPayments } from './migrations/0008-disbursements-and-payments.ts';
import { attachments } from './migrations/0009-attachments.ts';
import { recordDocuments } from './migrations/0010-record-documents.ts';
import { partnerships } from './migrations/0011-partnerships.ts';
import { auditActingOrganization } from './migrations/0012-audit-acting-organization.ts';
import { tables as tableSpecs } from './tables.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The default schema of the read models. */
export const DEFAULT_SCHEMA = 'readmodel';

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

/** The CREATE INDEX statements of a table's secondary indexes. */
export function tableIndexStatements(schema: string, spec: TableSpec): string[] {
  return spec.indexes.map(
    (index) =>
      `CREATE INDEX IF NOT EXISTS "${index.name}" ON "${schema}"."${spec.name}" (${index.columns
        .map((c) => `"${c}"`)
        .join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`,
  );
}

/** CREATE INDEX statements of every secondary index (dropped and re-created around a rebuild). */
export function indexStatements(schema: string): string[] {
  return tableSpecs.flatMap((spec) => tableIndexStatements(schema, spec));
}

export function dropIndexStatements(schema: string): string[] {
  return tableSpecs.flatMap((spec) =>
    spec.indexes.map((index) => `DROP INDEX IF EXISTS "${schema}"."${index.name}"`),
  );
}

/**
 * The read models' migrations, fixed once released (ADR 0004): a database made by the first release and a
 * new one take the same path to today's tables (test/migrations.test.ts compares them with the table
 * definitions). A change to a table is a new migration here, never an edit of an old one.
 */
export function readModelMigrations(schema: string): Record<string, Migration> {
  return {
    '0001_tables': tables(schema),
    '0002_indexes': indexes(schema),
    '0003_id_collation': idCollation(schema),
    '0004_representative_confirmation': representativeConfirmation(schema),
    '0005_proposal_translations': proposalTranslations(schema),
    '0006_audit_data': auditData(schema),
    '0007_expenses': expenses(schema),
    '0008_disbursements_and_payments': disbursementsAndPayments(schema),
    '0009_attachments': attachments(schema),
    '0010_record_documents': recordDocuments(schema),
    '0011_partnerships': partnerships(schema),
    '0012_audit_acting_organization': auditActingOrganization(schema),
  };
}

/** Creates or upgrades the read-model tables in `schema` (default `readmodel`) with Kysely's Migrator. */
export async function migrateReadModels(db: Kysely<unknown>, schema: string = DEFAULT_SCHEMA): Promise<void> {
  assertSchemaName(schema);
  await migrateSchema(db, schema, readModelMigrations(schema));
}
