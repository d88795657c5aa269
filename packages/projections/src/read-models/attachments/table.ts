import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';
import type { AttachmentKind } from './schema.ts';

/**
 * Where each document is cited: one row per citing event and document (the same bytes may be attached to
 * several records). Ids only; which organizations may read a restricted document is worked out from the
 * record it is attached to when someone asks (`attachmentCitations`), so it follows today's membership.
 */
export const attachmentCitations = table({
  name: 'attachment_citations',
  columns: {
    sha256: col.id(),
    global_position: col.bigint(),
    kind: col.text<AttachmentKind>(),
    /** The budget (expense), grant call (application, review) or proposal (proposal, comment). */
    parent_id: col.id(),
    /** The expense, application, proposal or comment. */
    item_id: col.id(),
    /** The organization of the person who attached it (null: a facilitator). */
    organization_id: col.id().orNull(),
    person_id: col.id(),
    restricted: col.boolean(),
  },
  primaryKey: ['sha256', 'global_position'],
  indexes: [],
});

export type AttachmentCitationRow = RowOf<typeof attachmentCitations>;

/** This read model's tables as Kysely sees them. */
export type AttachmentTables = TablesOf<typeof attachmentCitations>;
