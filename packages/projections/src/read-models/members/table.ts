import type { MemberProfile } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** Member organizations: status, admission and profile. */
export const members = table({
  name: 'members',
  columns: {
    organization_id: col.id(),
    name: col.text(),
    status: col.text<'member' | 'departed'>(),
    admission: col.text<'founding' | 'decision'>(),
    admitted_by_proposal_id: col.id().orNull(),
    admitted_at: col.time(),
    departed_at: col.time().orNull(),
    departure_reason: col.text().orNull(),
    profile: col.json<MemberProfile>().orNull(),
    profile_updated_at: col.time().orNull(),
    updated_at: col.time(),
  },
  primaryKey: ['organization_id'],
  indexes: [],
});

/** The people representing each member organization, and how far their invitation went. */
export const representatives = table({
  name: 'representatives',
  columns: {
    organization_id: col.id(),
    person_id: col.id(),
    /** `invited`: not accepted yet; `awaitingConfirmation`: accepted, the organization has not confirmed. */
    status: col.text<'invited' | 'awaitingConfirmation' | 'active'>(),
    /** The organization confirmed the person (its representative invited or confirmed them, or by appointment). */
    confirmed: col.boolean(),
    invited_by_person_id: col.id(),
    invited_at: col.time(),
    joined_at: col.time().orNull(),
  },
  primaryKey: ['organization_id', 'person_id'],
  indexes: [{ name: 'representatives_person', columns: ['person_id'] }],
});

export type MemberRow = RowOf<typeof members>;
export type RepresentativeRow = RowOf<typeof representatives>;

/** The members read model's tables as Kysely sees them. */
export type MemberTables = TablesOf<typeof members | typeof representatives>;
