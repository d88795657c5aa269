/**
 * `@concord/projections/schemas`: the zod schema of what each read model's queries return, one
 * `schema.ts` per read-model folder. These files import zod (and the domain's zod schemas) only, so
 * `@concord/contracts` re-exports them and the portal bundles them without Kysely, pg or Node modules.
 * The shapes they share (`iso`, `money`, the deciding body…) are `@concord/projections/schemas/primitives`.
 */
export * from './attachments/schema.ts';
export * from './audit/schema.ts';
export * from './budget/schema.ts';
export * from './charter/schema.ts';
export * from './expenses/schema.ts';
export * from './grants/schema.ts';
export * from './members/schema.ts';
export * from './partnerships/schema.ts';
export * from './proposals/schema.ts';
export * from './questions/schema.ts';
export * from './working-groups/schema.ts';
