import { type Actor, COALITION_PARTY, roundResults } from '@concord/domain';
import { openPglite, PostgresEventStore } from '@concord/event-store';
import { Random, World } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppliedBatch,
  buildReadModels,
  compareReadModels,
  type Projector,
  readModels,
} from '../src/index.ts';
import {
  agreement,
  answersOf,
  changedAgreement,
  establishment,
  facilitator,
  ingo,
  inTwoWeeks,
  partner,
  partnershipId,
  rep,
  storyRunner,
  system,
} from './support/partnership-story.ts';
import { appendRecorded, projectedAll } from './support/projected.ts';

/**
 * The partnerships read model over a realistic history: a partnership established, its partner's contacts
 * invited, joined and removed, a pooled check-in round answered by three member organizations (one of
 * them twice) and the partner, closed with the results the domain computed, an action proposed and agreed
 * by both parties and followed up, and reflections; and a second partnership with a round still open.
 */
describe('partnerships read model', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let projector: Projector;
  const batches: AppliedBatch[] = [];

  const donorPartnershipId = 'with-fund';
  const donor = 'open-fund';
  const answerA = answersOf(3, { power: 2 }, 'Decisions are explained late.');
  const answerBFirst = answersOf(1);
  const answerB = answersOf(4, { power: null }, 'Better since the spring.');
  const answerC = answersOf(2);
  const answerPartner = answersOf(4, {}, 'We value the monthly calls.');
  const times: Record<string, string> = {};
  /** The action a member proposes after the first round, as proposed and as the read model shows it. */
  const explainDecisions = {
    actionId: 'explain-decisions',
    roundId: 'round-1',
    pillar: 'power',
    ownerPartyId: ingo,
    dueDate: '2026-04-30',
    description: 'Explain each funding decision to all members within two weeks.',
  } as const;

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db, { pollIntervalMs: 20 });
    await store.migrate();
    const world = new World(new Random(11), '2026-02-02T09:00:00.000Z');
    const run = storyRunner(world, 1, times);
    run(establishment, 'established');
    run({
      type: 'EstablishPartnership',
      actor: system,
      partnershipId: donorPartnershipId,
      title: 'Coalition and the Open Fund',
      partners: [{ organizationId: donor, name: 'Open Fund', kind: 'donor' }],
      agreement,
      checkInEveryMonths: 6,
      execution: { proposalId: 'p-fund', decisionEventId: 'decided-fund' },
    });
    run(
      {
        type: 'ChangePartnershipAgreement',
        actor: system,
        partnershipId,
        agreement: changedAgreement,
        checkInEveryMonths: 2,
        execution: { proposalId: 'p-change', decisionEventId: 'decided-change' },
      },
      'changed',
    );
    const contact = {
      type: 'InvitePartnerContact',
      actor: facilitator,
      partnershipId,
      organizationId: ingo,
    } as const;
    run({ ...contact, personId: 'gr-amira' });
    run({ ...contact, personId: 'gr-sam' });
    run({ type: 'AcceptPartnerContact', actor: partner('gr-amira'), partnershipId });
    run({ type: 'AcceptPartnerContact', actor: partner('gr-sam'), partnershipId });
    run({ type: 'RemovePartnerContact', actor: facilitator, partnershipId, personId: 'gr-sam' });
    // Invited to the other partnership, never joined: no access there.
    run({
      type: 'InvitePartnerContact',
      actor: facilitator,
      partnershipId: donorPartnershipId,
      organizationId: donor,
      personId: 'of-omar',
    });

    times.closes = inTwoWeeks(world);
    run(
      {
        type: 'OpenCheckInRound',
        actor: facilitator,
        partnershipId,
        roundId: 'round-1',
        closesAt: times.closes,
        pooled: true,
      },
      'opened',
    );
    const answer = (actor: Actor, organizationId: string, answers: unknown, label?: string) =>
      run(
        {
          type: 'AnswerCheckIn',
          actor,
          partnershipId,
          roundId: 'round-1',
          organizationId,
          answers,
          language: 'en',
        },
        label,
      );
    answer(rep('org-b', 'noor'), 'org-b', answerBFirst);
    answer(rep('org-a', 'amal'), 'org-a', answerA);
    answer(partner('gr-amira'), ingo, answerPartner);
    answer(rep('org-b', 'noor'), 'org-b', answerB, 'b-again');
    answer(rep('org-c', 'sami'), 'org-c', answerC);
    run({ type: 'CloseCheckInRound', actor: facilitator, partnershipId, roundId: 'round-1' }, 'closed');

    run(
      {
        type: 'ProposePartnershipAction',
        actor: rep('org-a', 'amal'),
        partnershipId,
        ...explainDecisions,
      },
      'proposed',
    );
    run(
      {
        type: 'AgreeToPartnershipAction',
        actor: partner('gr-amira'),
        partnershipId,
        actionId: 'explain-decisions',
      },
      'agreed',
    );
    run(
      {
        type: 'FollowUpPartnershipAction',
        actor: partner('gr-amira'),
        partnershipId,
        actionId: 'explain-decisions',
        status: 'inProgress',
        note: 'The first two decisions were explained on the monthly call.',
      },
      'followed',
    );
    run({
      type: 'ProposePartnershipAction',
      actor: partner('gr-amira'),
      partnershipId,
      actionId: 'translate-reports',
      roundId: null,
      pillar: 'voiceAndVisibility',
      ownerPartyId: COALITION_PARTY,
      dueDate: '2026-05-31',
      description: 'Translate the quarterly report into Arabic.',
    });
    const reflection = {
      type: 'RecordReflection' as const,
      partnershipId,
      whatShouldChange: 'Earlier notice of funding cuts.',
      weaknesses: 'Reports arrived late.',
      language: 'en',
    };
    run(
      {
        ...reflection,
        actor: partner('gr-amira'),
        reflectionId: 'refl-partner',
        about: { kind: 'grant', reference: 'Winter fund' },
        whatWorked: 'Monthly calls in Arabic kept 100% of members informed.',
        strengths: 'Trust between the field teams.',
        communityOutcomes: 'Families were heard before plans were made.',
      },
      'reflected-partner',
    );
    run(
      {
        ...reflection,
        actor: rep('org-c', 'sami'),
        reflectionId: 'refl-coalition',
        about: { kind: 'partnership', reference: null },
        whatWorked: 'Joint planning.',
        strengths: 'We reached 1000 families.',
        communityOutcomes: 'More children in school.',
      },
      'reflected-coalition',
    );

    // The other partnership: a round open, answered by one member organization so far.
    times.fundCloses = inTwoWeeks(world);
    run({
      type: 'OpenCheckInRound',
      actor: facilitator,
      partnershipId: donorPartnershipId,
      roundId: 'fund-round-1',
      closesAt: times.fundCloses,
      pooled: false,
    });
    run({
      type: 'AnswerCheckIn',
      actor: rep('org-a', 'amal'),
      partnershipId: donorPartnershipId,
      roundId: 'fund-round-1',
      organizationId: 'org-a',
      answers: answersOf(3),
      language: 'ar',
    });

    await appendRecorded(store, world);
    projector = await projectedAll(db, store, 3, (batch) => batches.push(batch));
  });
  afterAll(async () => {
    await projector?.stop();
    await store?.close();
  });

  it('lists every partnership with its open round, last closed round and counts', async () => {
    expect(await readModels(db).partnerships()).toEqual([
      {
        partnershipId,
        title: 'Coalition and Global Relief',
        partners: [{ organizationId: ingo, name: 'Global Relief', kind: 'ingo' }],
        checkInEveryMonths: 2,
        establishedAt: times.established,
        openRound: null,
        lastClosedRoundId: 'round-1',
        openActionCount: 2,
        reflectionCount: 2,
      },
      {
        partnershipId: donorPartnershipId,
        title: 'Coalition and the Open Fund',
        partners: [{ organizationId: donor, name: 'Open Fund', kind: 'donor' }],
        checkInEveryMonths: 6,
        establishedAt: expect.any(String),
        openRound: {
          roundId: 'fund-round-1',
          closesAt: times.fundCloses,
          pooled: false,
          answeredOrganizationIds: ['org-a'],
        },
        lastClosedRoundId: null,
        openActionCount: 0,
        reflectionCount: 0,
      },
    ]);
  });

  it('details a partnership: agreement, contacts, rounds with the pooled results, actions, reflections', async () => {
    const detail = await readModels(db).partnership(partnershipId);
    expect(detail).not.toBeNull();
    expect(detail).toMatchObject({
      partnershipId,
      agreement: changedAgreement,
      checkInEveryMonths: 2,
      establishedByProposalId: 'p-establish',
      agreementProposalId: 'p-change',
      agreementChangedAt: times.changed,
      // gr-sam joined, then was removed: gone.
      contacts: [{ personId: 'gr-amira', organizationId: ingo, status: 'joined' }],
    });
    // The results stored as the domain computed them when the round closed: from each organization's
    // latest answer (org-b's second), the coalition's pooled, the partner's its own.
    const expected = roundResults(
      [
        { partyId: COALITION_PARTY, ratings: answerB },
        { partyId: COALITION_PARTY, ratings: answerA },
        { partyId: ingo, ratings: answerPartner },
        { partyId: COALITION_PARTY, ratings: answerC },
      ],
      [COALITION_PARTY, ingo],
      true,
      null,
    );
    expect(detail?.rounds).toEqual([
      {
        roundId: 'round-1',
        pooled: true,
        openedAt: times.opened,
        closesAt: times.closes,
        closedAt: times.closed,
        results: expected,
        answeredOrganizationIds: ['org-b', 'org-a', ingo, 'org-c'],
      },
    ]);
    // Two member organizations rated power (org-b did not know): the pooled sum is withheld.
    const power = expected.pillars.find((entry) => entry.pillar === 'power');
    expect(power?.parties.find((party) => party.partyId === COALITION_PARTY)).toMatchObject({
      answered: 3,
      rated: 2,
      dontKnow: 1,
      sum: null,
    });
    expect(detail?.actions).toEqual([
      {
        ...explainDecisions,
        proposedBy: { partyId: COALITION_PARTY, organizationId: 'org-a' },
        proposedAt: times.proposed,
        agreedBy: [COALITION_PARTY, ingo],
        status: 'inProgress',
        agreedAt: times.agreed,
        followUps: [
          {
            roundId: null,
            status: 'inProgress',
            note: 'The first two decisions were explained on the monthly call.',
            partyId: ingo,
            organizationId: ingo,
            at: times.followed,
          },
        ],
      },
      expect.objectContaining({
        actionId: 'translate-reports',
        roundId: null,
        ownerPartyId: COALITION_PARTY,
        proposedBy: { partyId: ingo, organizationId: ingo },
        agreedBy: [ingo],
        status: 'proposed',
        agreedAt: null,
        followUps: [],
      }),
    ]);
    expect(detail?.reflections.map((reflection) => reflection.reflectionId)).toEqual([
      'refl-coalition',
      'refl-partner',
    ]);
    expect(detail?.reflections[1]).toEqual({
      partnershipId,
      reflectionId: 'refl-partner',
      about: { kind: 'grant', reference: 'Winter fund' },
      whatWorked: 'Monthly calls in Arabic kept 100% of members informed.',
      whatShouldChange: 'Earlier notice of funding cuts.',
      strengths: 'Trust between the field teams.',
      weaknesses: 'Reports arrived late.',
      communityOutcomes: 'Families were heard before plans were made.',
      language: 'en',
      partyId: ingo,
      organizationId: ingo,
      recordedBy: 'gr-amira',
      recordedAt: times['reflected-partner'],
    });
    expect(await readModels(db).partnership('no-such-partnership')).toBeNull();
  });

  it("returns every organization's latest answer to a round, unfiltered", async () => {
    const answers = await readModels(db).partnershipAnswers(partnershipId, 'round-1');
    expect(
      answers.map(({ organizationId, partyId, answeredBy }) => ({ organizationId, partyId, answeredBy })),
    ).toEqual([
      { organizationId: 'org-a', partyId: COALITION_PARTY, answeredBy: 'amal' },
      { organizationId: ingo, partyId: ingo, answeredBy: 'gr-amira' },
      { organizationId: 'org-b', partyId: COALITION_PARTY, answeredBy: 'noor' },
      { organizationId: 'org-c', partyId: COALITION_PARTY, answeredBy: 'sami' },
    ]);
    const orgB = answers.find((answer) => answer.organizationId === 'org-b');
    expect(orgB).toEqual({
      partnershipId,
      roundId: 'round-1',
      organizationId: 'org-b',
      partyId: COALITION_PARTY,
      answers: answerB,
      evidence: [],
      language: 'en',
      answeredBy: 'noor',
      answeredAt: times['b-again'],
    });
    expect(await readModels(db).partnershipAnswers(partnershipId, 'no-such-round')).toEqual([]);
  });

  it('finds the partnerships where a person is a joined contact, not an invited or removed one', async () => {
    const models = readModels(db);
    expect(await models.partnershipIdsOfContact('gr-amira')).toEqual([partnershipId]);
    expect(await models.partnershipIdsOfContact('gr-sam')).toEqual([]);
    expect(await models.partnershipIdsOfContact('of-omar')).toEqual([]);
  });

  it('searches reflections case-insensitively, taking % and _ literally, newest first', async () => {
    const ids = async (query: string) =>
      (await readModels(db).searchReflections(query)).map((reflection) => reflection.reflectionId);
    expect(await ids('ARABIC')).toEqual(['refl-partner']);
    expect(await ids('families')).toEqual(['refl-coalition', 'refl-partner']);
    expect(await ids('winter')).toEqual(['refl-partner']);
    // Unescaped, "100%" would also match "1000 families"; "_" would match any character.
    expect(await ids('100%')).toEqual(['refl-partner']);
    expect(await ids('_')).toEqual([]);
    expect(await ids('nothing like this')).toEqual([]);
  });

  it('reports each change as a change of its partnership', () => {
    const changes = batches.flatMap((batch) => batch.changes);
    expect(changes).toContainEqual({ view: 'partnership', id: partnershipId });
    expect(changes).toContainEqual({ view: 'partnership', id: donorPartnershipId });
  });

  it('rebuilds the same rows in bulk as the projector wrote one batch at a time', async () => {
    await buildReadModels({ db, store, schema: 'check' });
    const comparison = await compareReadModels(db, 'readmodel', 'check');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('rebuilds the same rows in bounded memory, rows written out early read back when touched again', async () => {
    await buildReadModels({ db, store, schema: 'bounded', batchSize: 3, maxEntityRows: 2 });
    const comparison = await compareReadModels(db, 'readmodel', 'bounded');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });
});
