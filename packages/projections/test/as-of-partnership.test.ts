import type { Actor } from '@concord/domain';
import { type EventStore, openPglite, PostgresEventStore, type RecordedEvent } from '@concord/event-store';
import { Random, World } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOf, buildReadModels, readModels } from '../src/index.ts';
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
import { appendRecorded } from './support/projected.ts';

/**
 * A partnership as it stood, replayed with the partnership decider: the agreement changed by a later
 * proposal, an action agreed later, a round closed later — each seen before and after, by position and
 * by time.
 */
describe('a partnership as of a position or a time', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let events: RecordedEvent[];
  const amira = partner('gr-amira');
  /** A member organization's comment in a round too small to show the coalition's comments. */
  const lonelyComment = 'Only we answered this time, and this must stay ours.';
  const times: Record<string, string> = {};

  /** The global position of the `nth` event of this type in the partnership's stream (1-based). */
  const positionOf = (type: string, nth = 1) =>
    events.filter((event) => event.type === type)[nth - 1]!.globalPosition;
  const before = (type: string, nth = 1) => ({ position: positionOf(type, nth) - 1 });
  const after = (type: string, nth = 1) => ({ position: positionOf(type, nth) });

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db);
    await store.migrate();
    const world = new World(new Random(3), '2026-02-02T09:00:00.000Z');
    const run = storyRunner(world, 24, times);
    const answer = (actor: Actor, roundId: string, answers: unknown) =>
      run({
        type: 'AnswerCheckIn',
        actor,
        partnershipId,
        roundId,
        organizationId: actor.organizationId,
        answers,
        language: 'en',
      });

    run(establishment, 'established');
    run({
      type: 'InvitePartnerContact',
      actor: facilitator,
      partnershipId,
      organizationId: ingo,
      personId: 'gr-amira',
    });
    run({ type: 'AcceptPartnerContact', actor: amira, partnershipId });
    run({
      type: 'InvitePartnerContact',
      actor: facilitator,
      partnershipId,
      organizationId: ingo,
      personId: 'gr-000',
    });
    run({
      type: 'OpenCheckInRound',
      actor: facilitator,
      partnershipId,
      roundId: 'round-1',
      closesAt: inTwoWeeks(world),
      pooled: true,
    });
    answer(rep('org-a', 'amal'), 'round-1', answersOf(3, {}, 'Decisions are explained late.'));
    answer(rep('org-b', 'noor'), 'round-1', answersOf(4));
    answer(rep('org-c', 'sami'), 'round-1', answersOf(2));
    answer(amira, 'round-1', answersOf(4, {}, 'We value the monthly calls.'));
    run({ type: 'CloseCheckInRound', actor: facilitator, partnershipId, roundId: 'round-1' }, 'closed-1');
    run(
      {
        type: 'ProposePartnershipAction',
        actor: rep('org-a', 'amal'),
        partnershipId,
        actionId: 'explain-decisions',
        roundId: 'round-1',
        pillar: 'power',
        ownerPartyId: ingo,
        dueDate: '2026-06-30',
        description: 'Explain each funding decision to all members within two weeks.',
      },
      'proposed',
    );
    run({
      type: 'OpenCheckInRound',
      actor: facilitator,
      partnershipId,
      roundId: 'round-2',
      closesAt: inTwoWeeks(world),
      pooled: true,
    });
    answer(rep('org-a', 'amal'), 'round-2', answersOf(2, {}, lonelyComment));
    run({ type: 'AgreeToPartnershipAction', actor: amira, partnershipId, actionId: 'explain-decisions' });
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
    run({ type: 'CloseCheckInRound', actor: facilitator, partnershipId, roundId: 'round-2' }, 'closed-2');
    run({
      type: 'RecordReflection',
      actor: amira,
      partnershipId,
      reflectionId: 'refl-1',
      about: { kind: 'partnership', reference: null },
      whatWorked: 'Monthly calls.',
      whatShouldChange: 'Earlier notice of funding cuts.',
      strengths: 'Trust between the field teams.',
      weaknesses: 'Reports arrived late.',
      communityOutcomes: 'Families were heard before plans were made.',
      language: 'en',
    });
    run({
      type: 'RecordReflection',
      actor: rep('org-c', 'sami'),
      partnershipId,
      reflectionId: 'refl-2',
      about: { kind: 'grant', reference: 'Winter fund' },
      whatWorked: 'Joint planning.',
      whatShouldChange: 'Reports in Arabic first.',
      strengths: 'Field teams.',
      weaknesses: 'Late transfers.',
      communityOutcomes: 'More children in school.',
      language: 'en',
    });
    await appendRecorded(store, world);
    events = await store.readStream(`partnership-${partnershipId}`);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('is null before the partnership was established', async () => {
    expect(await asOf.partnership(store, before('PartnershipEstablished'), partnershipId)).toBeNull();
    expect(await asOf.partnership(store, { position: 0 }, partnershipId)).toBeNull();
    expect(await asOf.partnership(store, { position: events.at(-1)!.globalPosition }, 'nobody')).toBeNull();
  });

  it('shows the agreement as it stood: the old text before a later change, the new after', async () => {
    /** The partnership as of `point`, once its agreement and check-in interval are as expected there. */
    const withAgreement = async (
      point: { position: number },
      expected: { text: typeof agreement; version: number; proposalId: string; since: string | undefined },
      checkInEveryMonths: number,
    ) => {
      const state = (await asOf.partnership(store, point, partnershipId))!;
      expect(state.agreement).toEqual(expected);
      expect(state.schedule.checkInEveryMonths).toBe(checkInEveryMonths);
      return state;
    };
    await withAgreement(
      before('PartnershipAgreementChanged'),
      { text: agreement, version: 1, proposalId: 'p-establish', since: times.established },
      3,
    );
    const changed = await withAgreement(
      after('PartnershipAgreementChanged'),
      { text: changedAgreement, version: 2, proposalId: 'p-change', since: times.changed },
      2,
    );
    expect(changed.asOf).toEqual({
      position: positionOf('PartnershipAgreementChanged'),
      recordedAt: events
        .find((event) => event.type === 'PartnershipAgreementChanged')!
        .recordedAt.toISOString(),
    });
  });

  it('leaves out an action proposed later, and shows one agreed later as proposed', async () => {
    expect(
      (await asOf.partnership(store, before('PartnershipActionProposed'), partnershipId))!.actions,
    ).toEqual([]);
    const proposed = (await asOf.partnership(store, before('PartnershipActionAgreedTo'), partnershipId))!;
    expect(proposed.actions).toMatchObject([
      {
        actionId: 'explain-decisions',
        description: 'Explain each funding decision to all members within two weeks.',
        ownerPartyId: ingo,
        proposedBy: { partyId: 'coalition', organizationId: 'org-a' },
        agreedBy: ['coalition'],
        status: 'proposed',
        agreedAt: null,
      },
    ]);
    const agreed = (await asOf.partnership(store, after('PartnershipActionAgreed'), partnershipId))!;
    expect(agreed.actions).toMatchObject([
      {
        actionId: 'explain-decisions',
        agreedBy: ['coalition', ingo],
        status: 'agreed',
        agreedAt: expect.any(String),
      },
    ]);
  });

  it('shows a round closed later as open, without results; once closed, the results recorded then', async () => {
    const open = (await asOf.partnership(store, before('CheckInRoundClosed', 2), partnershipId))!;
    expect(open.rounds.map((round) => [round.roundId, round.status])).toEqual([
      ['round-2', 'open'],
      ['round-1', 'closed'],
    ]);
    expect(open.rounds[0]).toMatchObject({
      closedAt: null,
      results: null,
      answeredOrganizationIds: ['org-a'],
    });
    expect(open.schedule).toMatchObject({ openRoundId: 'round-2', nextRoundFrom: null });
    const closed = (await asOf.partnership(store, after('CheckInRoundClosed', 2), partnershipId))!;
    const recorded = events.filter((event) => event.type === 'CheckInRoundClosed');
    expect(closed.rounds.map((round) => [round.roundId, round.status])).toEqual([
      ['round-2', 'closed'],
      ['round-1', 'closed'],
    ]);
    expect(closed.rounds[0]!.results).toEqual((recorded[1]!.data as { results: unknown }).results);
    expect(closed.rounds[1]!.results).toEqual((recorded[0]!.data as { results: unknown }).results);
    expect(closed.rounds[0]!.closedAt).toBe(times['closed-2']);
    expect(closed.schedule.openRoundId).toBeNull();
    expect(closed.schedule.nextRoundFrom).not.toBeNull();
    // The reflection came after: absent here, present at the end.
    expect(closed.reflections).toEqual([]);
    const latest = (await asOf.partnership(
      store,
      { position: events.at(-1)!.globalPosition },
      partnershipId,
    ))!;
    expect(latest.reflections.map((reflection) => reflection.reflectionId)).toEqual(['refl-2', 'refl-1']);
    // As invited (an id that sorts first, invited second, comes second).
    expect(latest.contacts).toEqual([
      { personId: 'gr-amira', organizationId: ingo, status: 'joined' },
      { personId: 'gr-000', organizationId: ingo, status: 'invited' },
    ]);
    expect(latest.partyIds).toEqual(['coalition', ingo]);
  });

  it('agrees with the read model rebuilt up to the same position', async () => {
    const positions = [
      before('PartnershipActionAgreedTo'),
      after('PartnershipAgreementChanged'),
      { position: events.at(-1)!.globalPosition },
    ];
    for (const [i, { position }] of positions.entries()) {
      const schema = `partnership_at_${i}`;
      await buildReadModels({ db, store, schema, until: position });
      const view = (await readModels(db, schema).partnership(partnershipId))!;
      const past = (await asOf.partnership(store, { position }, partnershipId))!;
      expect(past.agreement.text).toEqual(view.agreement);
      expect(past.agreement.proposalId).toBe(view.agreementProposalId);
      expect(past.schedule.checkInEveryMonths).toBe(view.checkInEveryMonths);
      expect(past.establishedAt).toBe(view.establishedAt);
      expect(past.contacts).toEqual(view.contacts);
      expect(past.rounds.map(({ status: _status, ...round }) => round)).toEqual(view.rounds);
      expect(past.actions).toEqual(view.actions);
      expect(past.reflections).toEqual(view.reflections);
    }
  });

  it('never lists an answer: a pooled round with one member answer keeps its comment to itself', async () => {
    for (const at of [before('CheckInRoundClosed', 2), after('CheckInRoundClosed', 2)]) {
      const text = JSON.stringify(await asOf.partnership(store, at, partnershipId));
      expect(text).not.toContain(lonelyComment);
      expect(text).not.toContain('"ratings"');
      expect(text).not.toContain('"answers"');
    }
  });

  it('reads a time as every event recorded up to it', async () => {
    // A store whose events were recorded when they happened (the generator's clock), so that a time
    // between two steps falls between their recordings.
    const recordedWhenHappened = {
      readStream: async (streamId: string) =>
        (await store.readStream(streamId)).map((event) => ({
          ...event,
          recordedAt: new Date((event.data as { at: string }).at),
        })),
    } as unknown as EventStore;
    const between = (from: string, to: string) => new Date((Date.parse(from) + Date.parse(to)) / 2);

    const beforeChange = (await asOf.partnership(
      recordedWhenHappened,
      { time: between(times['closed-1']!, times.proposed!) },
      partnershipId,
    ))!;
    expect(beforeChange.agreement.version).toBe(1);
    expect(beforeChange.agreement.text).toEqual(agreement);
    expect(beforeChange.rounds.map((round) => [round.roundId, round.status])).toEqual([
      ['round-1', 'closed'],
    ]);
    expect(beforeChange.actions).toEqual([]);

    const afterChange = (await asOf.partnership(
      recordedWhenHappened,
      { time: between(times.changed!, times['closed-2']!) },
      partnershipId,
    ))!;
    expect(afterChange.agreement.text).toEqual(changedAgreement);
    expect(afterChange.rounds.map((round) => [round.roundId, round.status])).toEqual([
      ['round-2', 'open'],
      ['round-1', 'closed'],
    ]);
    expect(afterChange.actions.map((action) => action.status)).toEqual(['agreed']);
    expect(afterChange.asOf.recordedAt).toBe(between(times.changed!, times['closed-2']!).toISOString());

    expect(
      await asOf.partnership(recordedWhenHappened, { time: new Date('2026-01-01') }, partnershipId),
    ).toBeNull();

    // On the store itself, a time is the recording time: the moment of the last event includes it all.
    const last = events.at(-1)!;
    expect(await asOf.partnership(store, { time: last.recordedAt }, partnershipId)).toEqual({
      ...(await asOf.partnership(store, { position: last.globalPosition }, partnershipId)),
      asOf: { position: last.globalPosition, recordedAt: last.recordedAt.toISOString() },
    });
  });
});
