import { type DomainCommand, streamIdFor } from '@concord/domain';
import { openPglite, PostgresEventStore } from '@concord/event-store';
import { Random, World } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReadModels, compareReadModels, type Projector, readModels } from '../src/index.ts';
import { appendRecorded, projectedAll } from './support/projected.ts';

/**
 * Members' translations in the proposals view: the latest per item and language, outdated once the item
 * changes (derived when read), and the same whether projected event by event or rebuilt in bulk.
 */
describe('translations read model', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let projector: Projector;
  const proposalId = 'p-translated';
  const author = { role: 'representative', personId: 'amal', organizationId: 'org-a' } as const;
  const translator = { role: 'representative', personId: 'noor', organizationId: 'org-b' } as const;

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db, { pollIntervalMs: 20 });
    await store.migrate();
    const world = new World(new Random(7), '2026-01-05T09:00:00.000Z');
    // Commands as the API builds them, the time added here (one hour apart).
    const run = (command: { type: DomainCommand['type'] } & Record<string, unknown>) => {
      world.advance(1);
      world.must({ ...command, now: world.now } as unknown as DomainCommand);
    };
    const payload = {
      kind: 'charterChange',
      rules: null,
      sharedValues: null,
      adoptSops: [{ sopId: 'sop-1', title: 'Meetings', text: 'Monthly.' }],
      retireSopIds: [],
    } as const;
    run({ type: 'DraftProposal', actor: author, proposalId, title: 'Meetings', body: 'Monthly.', payload });
    run({ type: 'CommentOnProposal', actor: author, proposalId, commentId: 'c1', text: 'Or weekly?' });
    const translate = { type: 'AddTranslation', proposalId, sourceLanguage: 'en' } as const;
    run({
      ...translate,
      actor: translator,
      item: { kind: 'proposal' },
      version: 1,
      language: 'es',
      title: 'Reuniones',
      text: 'Mensuales.',
    });
    run({
      ...translate,
      actor: translator,
      item: { kind: 'proposal' },
      version: 1,
      language: 'fr',
      title: 'Réunions',
      text: 'Mensuelles.',
    });
    run({
      ...translate,
      actor: translator,
      item: { kind: 'comment', commentId: 'c1' },
      version: 1,
      language: 'es',
      title: null,
      text: '¿O semanales?',
    });
    // A second Spanish translation of the comment replaces the first.
    run({
      ...translate,
      actor: author,
      item: { kind: 'comment', commentId: 'c1' },
      version: 1,
      language: 'es',
      title: null,
      text: '¿O cada semana?',
    });
    run({
      type: 'AmendProposal',
      actor: author,
      proposalId,
      title: 'Meetings',
      body: 'Every month.',
      payload,
      reason: null,
      context: null,
    });
    run({
      ...translate,
      actor: translator,
      item: { kind: 'proposal' },
      version: 2,
      language: 'es',
      title: 'Reuniones',
      text: 'Cada mes.',
    });
    await appendRecorded(store, world);
    projector = await projectedAll(db, store, 3);
  });
  afterAll(async () => {
    await projector?.stop();
    await store?.close();
  });

  it('keeps the latest per item and language, and marks those of an earlier version outdated', async () => {
    const events = await store.readStream(streamIdFor.proposal(proposalId));
    expect(events.filter((event) => event.type === 'TranslationAdded')).toHaveLength(5);
    const proposal = await readModels(db).proposal(proposalId);
    expect(
      proposal?.translations.map(
        ({ itemKey, language, version, outdated, text, personId, organizationName }) => ({
          itemKey,
          language,
          version,
          outdated,
          text,
          personId,
          organizationName,
        }),
      ),
    ).toEqual([
      {
        itemKey: 'proposal',
        language: 'fr',
        version: 1,
        outdated: true,
        text: 'Mensuelles.',
        personId: 'noor',
        organizationName: null,
      },
      {
        itemKey: 'comment:c1',
        language: 'es',
        version: 1,
        outdated: false,
        text: '¿O cada semana?',
        personId: 'amal',
        organizationName: null,
      },
      {
        itemKey: 'proposal',
        language: 'es',
        version: 2,
        outdated: false,
        text: 'Cada mes.',
        personId: 'noor',
        organizationName: null,
      },
    ]);
    // A translation changes neither the proposal's comment count nor when it last changed.
    expect(proposal?.commentCount).toBe(1);
  });

  it('rebuilds the same rows in bulk as the projector wrote one batch at a time', async () => {
    await buildReadModels({ db, store, schema: 'check' });
    const comparison = await compareReadModels(db, 'readmodel', 'check');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });
});
