import { openPglite } from '@concord/event-store';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRows } from '../src/projector/bulk/memory-rows.ts';
import { openSink } from '../src/projector/bulk/sink.ts';
import { type BudgetQuestionRow, budgetQuestions } from '../src/read-models/questions/table.ts';
import { migrateReadModels } from '../src/schema/migrate.ts';

// A rebuild's entity rows in bounded memory (ADR 0036, ADR 0044): which rows a write-out takes, that they
// leave memory for the table, and that a take-back finds them there.
const schema = 'memory_rows';

function question(id: string, text = 'Why this line?'): BudgetQuestionRow {
  return {
    budget_id: 'budget-1',
    question_id: id,
    line_id: 'line-1',
    text,
    asked_by_organization_id: 'org-1',
    asked_by_person_id: 'person-1',
    asked_at: '2026-12-06T10:00:00.000Z',
    status: 'open',
    answer: null,
    answered_by_organization_id: null,
    answered_by_person_id: null,
    answered_at: null,
    asked_position: 1,
  };
}

describe('entity rows in bounded memory', () => {
  let opened: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    opened = await openPglite();
    await migrateReadModels(opened.db, schema);
  });
  afterAll(() => opened.db.destroy());

  const onDisk = async () =>
    (
      await sql<{ question_id: string; text: string }>`
        SELECT question_id, text FROM ${sql.table(`${schema}.budget_questions`)} ORDER BY question_id`.execute(
        opened.db,
      )
    ).rows;
  const inMemory = (rows: MemoryRows, ids: string[]) =>
    ids.filter((id) => rows.get(budgetQuestions, 'budget-1', id) !== undefined);

  it('writes out the rows not written since the last write-out first, and takes them back by key', async () => {
    const { db } = opened;
    const sink = await openSink(db, schema);
    const rows = new MemoryRows(sink, 10);
    const ids = Array.from({ length: 14 }, (_, n) => `q${String(n + 1).padStart(2, '0')}`);

    // Eleven rows, one past the bound: a fifth (3) leaves. All were written since the start, so the first
    // taken in leave.
    for (const id of ids.slice(0, 11)) rows.put(budgetQuestions, question(id));
    await rows.spill(db, schema, []);
    expect(inMemory(rows, ids.slice(0, 3))).toEqual([]);
    expect((await onDisk()).map((row) => row.question_id)).toEqual(['q01', 'q02', 'q03']);

    // q04 and q05 are written again; q12 to q14 are new. The next three to leave are the first taken in of
    // those not written since: q06, q07 and q08, not q04 and q05.
    const q04 = rows.get<BudgetQuestionRow>(budgetQuestions, 'budget-1', 'q04')!;
    q04.text = 'Answered in the meeting?';
    rows.put(budgetQuestions, q04);
    rows.put(budgetQuestions, question('q05', 'Rewritten'));
    for (const id of ids.slice(11)) rows.put(budgetQuestions, question(id));
    await rows.spill(db, schema, []);
    expect(inMemory(rows, ids)).toEqual(['q04', 'q05', 'q09', 'q10', 'q11', 'q12', 'q13', 'q14']);
    expect((await onDisk()).map((row) => row.question_id)).toEqual([
      'q01',
      'q02',
      'q03',
      'q06',
      'q07',
      'q08',
    ]);

    // A page that reads q02 and q07 takes them back: into memory, off the table.
    rows.want(budgetQuestions, 'budget-1', 'q02');
    rows.want(budgetQuestions, 'budget-1', 'q07');
    await rows.takeBack(db, schema);
    expect(inMemory(rows, ['q02', 'q07'])).toEqual(['q02', 'q07']);
    expect((await onDisk()).map((row) => row.question_id)).toEqual(['q01', 'q03', 'q06', 'q08']);

    // Everything still in memory is written at the end, each row once, in its last version.
    await rows.writeEntities();
    await sink.close();
    const all = await onDisk();
    expect(all.map((row) => row.question_id)).toEqual(ids);
    expect(all.find((row) => row.question_id === 'q04')?.text).toBe('Answered in the meeting?');
    expect(all.find((row) => row.question_id === 'q05')?.text).toBe('Rewritten');
  });

  it('deletes no older version of a row the view knows is new, and does of one it does not', async () => {
    const { db } = opened;
    const fresh = 'memory_rows_new';
    await migrateReadModels(db, fresh);
    // Every DELETE statement on the table is counted, even one that finds nothing to delete.
    for (const statement of [
      `CREATE TABLE ${fresh}.deletes (n integer)`,
      `CREATE FUNCTION ${fresh}.count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO ${fresh}.deletes VALUES (1); RETURN NULL; END $$`,
      `CREATE TRIGGER counted AFTER DELETE ON ${fresh}.budget_questions
         FOR EACH STATEMENT EXECUTE FUNCTION ${fresh}.count_delete()`,
    ])
      await sql.raw(statement).execute(db);
    const deletes = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${fresh}.deletes`)}`.execute(db))
        .rows[0]!.n;
    const sink = await openSink(db, fresh);
    const rows = new MemoryRows(sink, 4);

    // Five rows, one past the bound: q01 is written out, and the table now has rows on disk.
    for (const id of ['q01', 'q02', 'q03', 'q04', 'q05']) rows.put(budgetQuestions, question(id));
    await rows.spill(db, fresh, []);
    expect(await deletes()).toBe(0);

    // Rows the view knows are new: nothing to delete on disk.
    rows.put(budgetQuestions, question('q06'), true);
    await rows.spill(db, fresh, []);
    expect(await deletes()).toBe(0);

    // A row written without being read and not known to be new: its older version may be on disk.
    rows.put(budgetQuestions, question('q07'));
    await rows.spill(db, fresh, []);
    expect(await deletes()).toBe(1);

    await rows.writeEntities();
    await sink.close();
    const written = await sql<{ question_id: string }>`
      SELECT question_id FROM ${sql.table(`${fresh}.budget_questions`)} ORDER BY question_id`.execute(db);
    expect(written.rows.map((row) => row.question_id)).toEqual([
      'q01',
      'q02',
      'q03',
      'q04',
      'q05',
      'q06',
      'q07',
    ]);
  });
});
