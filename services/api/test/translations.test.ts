import { problemSchema, proposalDetailSchema } from '@concord/contracts';
import { streamIdFor } from '@concord/domain';
import { describe, expect, it } from 'vitest';
import { worldForSuite } from './support/suite.ts';
import type { World } from './support/world.ts';

/** Members' translations over HTTP: recorded as events, shown with the proposal, outdated by amendments. */
describe('translations by members', () => {
  let world: World;
  worldForSuite({}, (created) => {
    world = created;
  });

  const spanish = {
    item: { kind: 'proposal' },
    version: 1,
    sourceLanguage: 'en',
    language: 'es',
    title: 'Un procedimiento',
    text: 'Escribimos cómo nos reunimos.',
  };

  async function detail(proposalId: string) {
    await world.settle();
    const response = await world.request('repB', 'GET', `/api/proposals/${proposalId}`);
    expect(response.statusCode, response.body).toBe(200);
    return proposalDetailSchema.parse(response.json());
  }

  it("records a member's translation with the version it translates, and marks it outdated after an amendment", async () => {
    const proposalId = await world.draft('repA');
    const added = await world.request('repB', 'POST', `/api/proposals/${proposalId}/translations`, spanish);
    expect(added.statusCode, added.body).toBe(201);
    const events = await world.t.store.readStream(streamIdFor.proposal(proposalId));
    const translated = events.find((event) => event.type === 'TranslationAdded');
    expect(translated?.data).toMatchObject({
      proposalId,
      item: { kind: 'proposal' },
      version: 1,
      language: 'es',
      personId: world.actor('repB').personId,
      organizationId: world.actor('repB').organizationId,
    });
    // Ids only: no name or address of the translator in the event.
    expect(Object.keys(translated?.data ?? {}).sort()).toEqual(
      [
        'at',
        'item',
        'language',
        'organizationId',
        'personId',
        'proposalId',
        'sourceLanguage',
        'text',
        'title',
        'version',
      ].sort(),
    );

    let shown = await detail(proposalId);
    expect(shown.translations).toEqual([
      expect.objectContaining({
        itemKey: 'proposal',
        language: 'es',
        title: 'Un procedimiento',
        outdated: false,
        organizationId: world.actor('repB').organizationId,
      }),
    ]);

    const amended = await world.request('repA', 'PUT', `/api/proposals/${proposalId}`, {
      title: 'A procedure for meetings',
      body: 'We write down how and when we meet.',
      payload: shown.payload,
    });
    expect(amended.statusCode, amended.body).toBe(200);
    shown = await detail(proposalId);
    expect(shown.translations[0]?.outdated).toBe(true);

    // A translation of the text before the amendment is refused; of the current one, it replaces the old.
    const stale = await world.request('repB', 'POST', `/api/proposals/${proposalId}/translations`, spanish);
    expect(stale.statusCode).toBe(409);
    expect(problemSchema.parse(stale.json()).code).toBe('TRANSLATION_OUTDATED');
    const current = await world.request('repB', 'POST', `/api/proposals/${proposalId}/translations`, {
      ...spanish,
      version: 2,
    });
    expect(current.statusCode, current.body).toBe(201);
    shown = await detail(proposalId);
    expect(shown.translations).toHaveLength(1);
    expect(shown.translations[0]).toMatchObject({ version: 2, outdated: false });
  });

  it('translates a comment, and refuses bad requests with problems that change nothing', async () => {
    const proposalId = await world.draft('repA');
    const commented = await world.request('repA', 'POST', `/api/proposals/${proposalId}/comments`, {
      text: 'Monthly is too often.',
    });
    const commentId = commented.json().created.commentId as string;
    const comment = {
      ...spanish,
      item: { kind: 'comment', commentId },
      title: null,
      text: 'Mensual es demasiado.',
    };
    const url = `/api/proposals/${proposalId}/translations`;
    expect((await world.request('repB', 'POST', url, comment)).statusCode).toBe(201);

    const head = await world.t.store.head();
    const refusals: [unknown, number, string][] = [
      [{ ...comment, item: { kind: 'comment', commentId: 'nope' } }, 404, 'TRANSLATED_ITEM_NOT_FOUND'],
      [{ ...spanish, sourceLanguage: 'es' }, 422, 'TRANSLATION_SAME_LANGUAGE'],
      [{ ...spanish, title: null }, 422, 'TRANSLATION_TITLE_MISMATCH'],
      [{ ...spanish, text: '' }, 400, 'VALIDATION_FAILED'],
      [{ ...spanish, text: 'x'.repeat(20_001) }, 400, 'VALIDATION_FAILED'],
      [{ ...spanish, language: 'Spanish please' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const refused = await world.request('repB', 'POST', url, body);
      expect(refused.statusCode, refused.body).toBe(status);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(problemSchema.parse(refused.json()).code).toBe(code);
    }
    const byFacilitator = await world.request('facilitator', 'POST', url, spanish);
    expect(byFacilitator.statusCode).toBe(403);
    expect((await world.request('anonymous', 'POST', url, spanish)).statusCode).toBe(401);
    expect(await world.t.store.head()).toBe(head);

    const shown = await detail(proposalId);
    expect(shown.translations.map((translation) => translation.itemKey)).toEqual([`comment:${commentId}`]);
  });

  it('translates a stance reason, outdated once the organization takes a new stance', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    await world.stance('repB', proposalId, 'block');
    const organizationId = world.actor('repB').organizationId as string;
    const reason = {
      ...spanish,
      item: { kind: 'stanceReason', organizationId },
      title: null,
      text: 'motivo',
    };
    const url = `/api/proposals/${proposalId}/translations`;
    const added = await world.request('repA', 'POST', url, reason);
    expect(added.statusCode, added.body).toBe(201);
    expect((await detail(proposalId)).translations[0]).toMatchObject({
      itemKey: `stanceReason:${organizationId}`,
      version: 1,
      outdated: false,
    });
    await world.stance('repB', proposalId, 'block');
    expect((await detail(proposalId)).translations[0]?.outdated).toBe(true);
    const again = await world.request('repA', 'POST', url, { ...reason, version: 2 });
    expect(again.statusCode, again.body).toBe(201);
    expect((await detail(proposalId)).translations[0]).toMatchObject({ version: 2, outdated: false });
  });
});
