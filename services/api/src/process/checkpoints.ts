import type { ApiDb } from '../db.ts';

/** Where a process step got to, kept in `api.checkpoints`. */
export class Checkpoints {
  constructor(
    private readonly db: ApiDb,
    private readonly clock: () => Date,
  ) {}

  async read(name: string): Promise<number> {
    const row = await this.db
      .selectFrom('api.checkpoints')
      .select('position')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  async write(name: string, position: number): Promise<void> {
    await this.db
      .insertInto('api.checkpoints')
      .values({ name, position, updated_at: this.clock() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ position, updated_at: this.clock() }))
      .execute();
  }
}
