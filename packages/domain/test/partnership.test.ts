import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type Agreement,
  addMonths,
  changeSince,
  checkInStep,
  elementMean,
  fold,
  meanOf,
  type PartnershipCommand,
  type PartnershipEvent,
  PILLARS,
  type PillarId,
  partnershipDecider,
  partnershipEventSchema,
  perceptionGap,
  type Rating,
  type RoundResults,
  resultFor,
  roundResults,
} from '../src/index.ts';
import { at, exec, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(partnershipDecider, partnershipEventSchema);
const partnershipId = 'with-ingo';
const ingo = 'global-relief';
const partner = (personId = 'gr-person', organizationId = ingo): Actor => ({
  role: 'partner',
  personId,
  organizationId,
});

const agreement: Agreement = {
  expectations: 'Funding decisions are explained to every member organization.',
  sharedValues: 'Refugee leadership; transparency about money.',
  roles: 'The coalition leads programme design; Global Relief reports on its own spending.',
  accountability: 'A check-in every three months, results shared with all members.',
  waysOfWorking: { languages: ['ar', 'en'], channels: 'Calls and messages', rhythm: 'Monthly call' },
};

const established: PartnershipEvent = {
  type: 'PartnershipEstablished',
  data: {
    partnershipId,
    title: 'Coalition and Global Relief',
    partners: [{ organizationId: ingo, name: 'Global Relief', kind: 'ingo' }],
    agreement,
    checkInEveryMonths: 3,
    execution: exec('establish'),
    at: at(0),
  },
};
const invited = (personId = 'gr-person'): PartnershipEvent => ({
  type: 'PartnerContactInvited',
  data: { partnershipId, organizationId: ingo, personId, invitedBy: facilitator.personId, at: at(1) },
});
const joined = (personId = 'gr-person'): PartnershipEvent => ({
  type: 'PartnerContactJoined',
  data: { partnershipId, organizationId: ingo, personId, at: at(2) },
});
const opened = (roundId = 'round-1', hours = 10, pooled = true): PartnershipEvent => ({
  type: 'CheckInRoundOpened',
  data: {
    partnershipId,
    roundId,
    closesAt: at(hours + 100),
    pooled,
    openedBy: facilitator.personId,
    at: at(hours),
  },
});

/** Round 1, which nobody answered, closed by `closedBy` at hour `hours`. */
const closedUnanswered = (closedBy: string, hours: number): PartnershipEvent => ({
  type: 'CheckInRoundClosed',
  data: {
    partnershipId,
    roundId: 'round-1',
    results: roundResults([], ['coalition', ingo], true, null),
    closedBy,
    at: at(hours),
  },
});

/** The same rating (and comment) on every pillar, but `overrides`. */
function answers(rating: Rating, overrides: Partial<Record<PillarId, Rating>> = {}, comment = '') {
  return PILLARS.map((pillar) => ({
    pillar,
    rating: pillar in overrides ? (overrides[pillar] as Rating) : rating,
    comment,
  }));
}
const answered = (
  organizationId: string,
  rating: Rating,
  roundId = 'round-1',
  overrides: Partial<Record<PillarId, Rating>> = {},
): PartnershipEvent => ({
  type: 'CheckInAnswered',
  data: {
    partnershipId,
    roundId,
    organizationId,
    partyId: organizationId === ingo ? ingo : 'coalition',
    answers: answers(rating, overrides),
    evidence: [],
    language: 'en',
    answeredBy: organizationId === ingo ? 'gr-person' : `${organizationId}-person`,
    at: at(20),
  },
});

const command = <T extends PartnershipCommand['type']>(
  type: T,
  actor: Actor,
  fields: Omit<Extract<PartnershipCommand, { type: T }>, 'type' | 'actor' | 'now' | 'partnershipId'>,
  now = at(30),
) => ({ type, actor, now, partnershipId, ...fields }) as unknown as PartnershipCommand;

const ready = [established, invited(), joined()];

describe('a partnership, established by decision', () => {
  const establish = command(
    'EstablishPartnership',
    system,
    {
      title: 'Coalition and Global Relief',
      partners: [{ organizationId: ingo, name: 'Global Relief', kind: 'ingo' }],
      agreement,
      checkInEveryMonths: 3,
      execution: exec('establish'),
    },
    at(0),
  );

  it('records the parties, the agreement and the check-in rhythm the coalition adopted', () => {
    spec.given([]).when(establish).then([established]);
  });

  it('applies one decision once, and refuses a second partnership with the same id', () => {
    spec.given([established]).when(establish).thenRejects('DECISION_ALREADY_EXECUTED');
    spec
      .given([established])
      .when({ ...establish, execution: exec('another') } as PartnershipCommand)
      .thenRejects('PARTNERSHIP_EXISTS');
  });

  it('refuses a partner named twice, none, or under the id reserved for the coalition', () => {
    const partners = (list: unknown) => ({ ...establish, partners: list }) as PartnershipCommand;
    const gr = { organizationId: ingo, name: 'Global Relief', kind: 'ingo' };
    spec
      .given([])
      .when(partners([gr, gr]))
      .thenRejects('INVALID_COMMAND');
    spec.given([]).when(partners([])).thenRejects('INVALID_COMMAND');
    spec
      .given([])
      .when(partners([{ ...gr, organizationId: 'coalition' }]))
      .thenRejects('INVALID_COMMAND');
  });

  it('changes its agreement by a later decision, once', () => {
    const changed = { ...agreement, rhythm: undefined, roles: 'Global Relief co-chairs the monthly call.' };
    const change = command('ChangePartnershipAgreement', system, {
      agreement: { ...changed, waysOfWorking: agreement.waysOfWorking },
      checkInEveryMonths: 6,
      execution: exec('change'),
    });
    const [event] = spec
      .given([established])
      .when(change)
      .then([
        {
          type: 'PartnershipAgreementChanged',
          data: {
            partnershipId,
            agreement: { ...agreement, roles: 'Global Relief co-chairs the monthly call.' },
            checkInEveryMonths: 6,
            execution: exec('change'),
            at: at(30),
          },
        },
      ]);
    spec
      .given([established, event as PartnershipEvent])
      .when(change)
      .thenRejects('DECISION_ALREADY_EXECUTED');
    spec.given([]).when(change).thenRejects('PARTNERSHIP_NOT_FOUND');
  });
});

describe("a partner organization's people", () => {
  const invite = command('InvitePartnerContact', facilitator, {
    organizationId: ingo,
    personId: 'gr-person',
  });

  it('are invited by the facilitator for a partner organization only, once', () => {
    spec
      .given([established])
      .when(invite)
      .then([{ ...invited(), data: { ...invited().data, at: at(30) } } as PartnershipEvent]);
    spec
      .given([established])
      .when({ ...invite, organizationId: 'member-org' } as PartnershipCommand)
      .thenRejects('NOT_A_PARTNER');
    spec.given([established, invited()]).when(invite).thenRejects('ALREADY_A_CONTACT');
  });

  it('take part once they accept, for the organization they were invited for only', () => {
    const accept = command('AcceptPartnerContact', partner(), {});
    spec
      .given([established, invited()])
      .when(accept)
      .then([{ ...joined(), data: { ...joined().data, at: at(30) } } as PartnershipEvent]);
    spec.given([established, invited(), joined()]).when(accept).thenRejects('PARTNER_INVITATION_NOT_FOUND');
    spec
      .given([established, invited()])
      .when(command('AcceptPartnerContact', partner('gr-person', 'another-ingo'), {}))
      .thenRejects('PARTNER_INVITATION_NOT_FOUND');
    spec
      .given([established, invited()])
      .when(command('AcceptPartnerContact', partner('someone-else'), {}))
      .thenRejects('PARTNER_INVITATION_NOT_FOUND');
  });

  it("end their own part (the facilitator may end anyone's), and then take no part", () => {
    const remove = (actor: Actor, personId: string) => command('RemovePartnerContact', actor, { personId });
    const removedBy = (actor: Actor): PartnershipEvent => ({
      type: 'PartnerContactRemoved',
      data: {
        partnershipId,
        organizationId: ingo,
        personId: 'gr-person',
        removedBy: actor.personId,
        at: at(30),
      },
    });
    spec
      .given([...ready, invited('gr-other')])
      .when(remove(partner(), 'gr-other'))
      .thenRejects('NOT_YOUR_ORGANIZATION');
    const [removed] = spec
      .given(ready)
      .when(remove(partner(), 'gr-person'))
      .then([removedBy(partner())]);
    spec
      .given(ready)
      .when(remove(facilitator, 'gr-person'))
      .then([removedBy(facilitator)]);
    spec
      .given([...ready, opened(), removed as PartnershipEvent])
      .when(
        command('AnswerCheckIn', partner(), {
          roundId: 'round-1',
          organizationId: ingo,
          answers: answers(3),
          evidence: [],
          language: 'en',
        }),
      )
      .thenRejects('NOT_A_PARTY');
    spec.given(ready).when(remove(facilitator, 'nobody')).thenRejects('CONTACT_NOT_FOUND');
  });
});

describe('check-in rounds', () => {
  const open = command(
    'OpenCheckInRound',
    facilitator,
    { roundId: 'round-1', closesAt: at(110), pooled: true },
    at(10),
  );
  const answer = (actor: Actor, organizationId: string, rating: Rating = 3, now = at(20)) =>
    command(
      'AnswerCheckIn',
      actor,
      { roundId: 'round-1', organizationId, answers: answers(rating), evidence: [], language: 'en' },
      now,
    );

  it('open one at a time, closing in the future', () => {
    spec.given(ready).when(open).then([opened()]);
    spec
      .given([...ready, opened()])
      .when({ ...open, roundId: 'round-2' } as PartnershipCommand)
      .thenRejects('ROUND_ALREADY_OPEN');
    spec
      .given([...ready, opened()])
      .when(open)
      .thenRejects('ROUND_EXISTS');
    spec
      .given(ready)
      .when({ ...open, closesAt: at(5) } as PartnershipCommand)
      .thenRejects('DEADLINE_IN_THE_PAST');
  });

  it('take one answer per organization, every pillar once: a representative for the coalition, a partner for itself', () => {
    spec
      .given([...ready, opened()])
      .when(answer(rep('nile'), 'nile', 2))
      .then([answered('nile', 2)]);
    spec
      .given([...ready, opened()])
      .when(answer(partner(), ingo, 4))
      .then([answered(ingo, 4)]);
    spec
      .given([...ready, opened()])
      .when(answer(rep('nile'), 'frontera'))
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([...ready, opened()])
      .when(answer(partner(), 'nile'))
      .thenRejects('NOT_YOUR_ORGANIZATION');
    // The secretariat speaks for no organization; a person invited but not yet joined takes no part.
    spec
      .given([...ready, opened()])
      .when(answer(facilitator, 'nile'))
      .thenRejects('FACILITATOR_NOT_ALLOWED');
    spec.given([established, invited(), opened()]).when(answer(partner(), ingo)).thenRejects('NOT_A_PARTY');
  });

  it('refuse an answer that leaves a pillar out, rates one twice, or leaves the scale', () => {
    const withAnswers = (list: unknown) =>
      ({ ...answer(rep('nile'), 'nile'), answers: list }) as PartnershipCommand;
    const all = answers(3);
    spec
      .given([...ready, opened()])
      .when(withAnswers(all.slice(1)))
      .thenRejects('INVALID_COMMAND');
    spec
      .given([...ready, opened()])
      .when(withAnswers([...all.slice(1), all[1]]))
      .thenRejects('INVALID_COMMAND');
    spec
      .given([...ready, opened()])
      .when(withAnswers([{ ...all[0], rating: 5 }, ...all.slice(1)]))
      .thenRejects('INVALID_COMMAND');
    spec
      .given([...ready, opened()])
      .when(withAnswers([{ ...all[0], rating: 0 }, ...all.slice(1)]))
      .thenRejects('INVALID_COMMAND');
  });

  it('let an organization change its answer until the round closes, and count its last one only', () => {
    const history = [...ready, opened(), answered('nile', 1), answered('nile', 4)];
    const [closed] = spec
      .given(history)
      .when(command('CloseCheckInRound', facilitator, { roundId: 'round-1' }))
      .then([
        {
          type: 'CheckInRoundClosed',
          data: {
            partnershipId,
            roundId: 'round-1',
            results: roundResults(
              [{ partyId: 'coalition', ratings: answers(4) }],
              ['coalition', ingo],
              true,
              null,
            ),
            closedBy: facilitator.personId,
            at: at(30),
          },
        },
      ]);
    const results = (closed as Extract<PartnershipEvent, { type: 'CheckInRoundClosed' }>).data.results;
    expect(resultFor(results, 'power', 'coalition')).toEqual({
      partyId: 'coalition',
      answered: 1,
      rated: 1,
      dontKnow: 0,
      sum: null,
    });
    spec
      .given([...history, closed as PartnershipEvent])
      .when(answer(rep('nile'), 'nile'))
      .thenRejects('ROUND_CLOSED');
  });

  it('take no answer once the closing time has passed; the schedule closes it only then', () => {
    spec
      .given([...ready, opened()])
      .when(answer(rep('nile'), 'nile', 3, at(110)))
      .thenRejects('ROUND_CLOSED');
    const close = (now: string) => command('CloseCheckInRound', system, { roundId: 'round-1' }, now);
    spec
      .given([...ready, opened()])
      .when(close(at(50)))
      .thenRejects('ROUND_NOT_DUE');
    const [closed] = spec
      .given([...ready, opened()])
      .when(close(at(111)))
      .then([
        {
          type: 'CheckInRoundClosed',
          data: {
            partnershipId,
            roundId: 'round-1',
            results: roundResults([], ['coalition', ingo], true, null),
            closedBy: system.personId,
            at: at(111),
          },
        },
      ]);
    spec
      .given([...ready, opened(), closed as PartnershipEvent])
      .when(close(at(112)))
      .thenRejects('ROUND_CLOSED');
    spec
      .given(ready)
      .when(close(at(112)))
      .thenRejects('ROUND_NOT_FOUND');
  });

  it('show the gap between how the parties see a pillar, and the change since the last round', () => {
    const round1 = [
      answered('nile', 2, 'round-1'),
      answered('frontera', 2, 'round-1'),
      answered('rumah', 3, 'round-1'),
    ];
    const first = fold(partnershipDecider, [...ready, opened(), ...round1, answered(ingo, 4, 'round-1')]);
    const closeFirst = partnershipDecider.decide(
      command('CloseCheckInRound', facilitator, { roundId: 'round-1' }),
      first,
    );
    const firstClosed = (closeFirst as Extract<PartnershipEvent, { type: 'CheckInRoundClosed' }>[])[0]!;
    const r1 = firstClosed.data.results;
    // Global Relief rates co-leadership 4; the three member organizations 2, 2 and 3.
    expect(meanOf(resultFor(r1, 'coLeadership', 'coalition'))).toBeCloseTo(7 / 3);
    expect(perceptionGap(r1, 'coLeadership', ingo)).toBeCloseTo(4 - 7 / 3);

    const second = fold(
      partnershipDecider,
      [
        firstClosed,
        opened('round-2', 200),
        answered('nile', 3, 'round-2'),
        answered('frontera', 3, 'round-2'),
        answered('rumah', 3, 'round-2', { coLeadership: null }),
        answered(ingo, 3, 'round-2'),
      ],
      first,
    );
    const closeSecond = partnershipDecider.decide(
      command('CloseCheckInRound', facilitator, { roundId: 'round-2' }, at(250)),
      second,
    );
    const r2 = (closeSecond as Extract<PartnershipEvent, { type: 'CheckInRoundClosed' }>[])[0]!.data.results;
    expect(r2.previousRoundId).toBe('round-1');
    // Power: 7/3 then 3. Co-leadership: one member did not know, so only two ratings — withheld.
    expect(changeSince(r1, r2, 'power', 'coalition')).toBeCloseTo(3 - 7 / 3);
    expect(resultFor(r2, 'coLeadership', 'coalition')).toMatchObject({
      answered: 3,
      rated: 2,
      dontKnow: 1,
      sum: null,
    });
    expect(changeSince(r1, r2, 'coLeadership', 'coalition')).toBeNull();
    expect(changeSince(r1, r2, 'coLeadership', ingo)).toBe(-1);
    // The element of shared ownership: the mean of the pillars shown (co-design and voice, 3 each).
    expect(elementMean(r2, 'ownership', 'coalition')).toBe(3);
  });
});

describe('pooled results', () => {
  it('show the sums of a named round whatever the number of answers, and comments only in the answers', () => {
    const results = roundResults(
      [{ partyId: 'coalition', ratings: answers(2, {}, 'We were not asked') }],
      ['coalition', ingo],
      false,
      null,
    );
    expect(resultFor(results, 'power', 'coalition')?.sum).toBe(2);
    expect(results.pooledComments).toEqual([]);
  });

  it("show the coalition's comments without names, in text order, once three organizations answered", () => {
    const ratings = (comment: string) =>
      answers(3, {}, '').map((entry) => (entry.pillar === 'power' ? { ...entry, comment } : entry));
    const two = [
      { partyId: 'coalition', ratings: ratings('Zero say in hiring') },
      { partyId: 'coalition', ratings: ratings('A seat at the table') },
    ];
    expect(roundResults(two, ['coalition', ingo], true, null).pooledComments).toEqual([]);
    const three = [...two, { partyId: 'coalition', ratings: ratings('') }];
    expect(roundResults(three, ['coalition', ingo], true, null).pooledComments).toEqual([
      { pillar: 'power', text: 'A seat at the table' },
      { pillar: 'power', text: 'Zero say in hiring' },
    ]);
  });

  // The property the issue asks for: what a pooled round shows never singles out one organization's answer.
  const rating = fc.constantFrom<Rating>(1, 2, 3, 4, null);
  const answer = fc.record({
    ratings: fc.tuple(...PILLARS.map(() => rating)),
    comment: fc.constantFrom('', 'too slow', 'good'),
  });
  const round = fc.record({
    coalition: fc.array(answer, { maxLength: 7 }),
    partner: fc.option(answer, { nil: undefined }),
  });
  const asAnswers = (list: { ratings: Rating[]; comment: string }[], partyId: string) =>
    list.map(({ ratings, comment }) => ({
      partyId,
      ratings: PILLARS.map((pillar, index) => ({ pillar, rating: ratings[index] as Rating, comment })),
    }));

  it('never reveal one organization: fewer than three ratings show nothing, and who answered what does not matter', () => {
    fc.assert(
      fc.property(round, fc.integer(), ({ coalition, partner: partnerAnswer }, seed) => {
        const all = [
          ...asAnswers(coalition, 'coalition'),
          ...asAnswers(partnerAnswer ? [partnerAnswer] : [], ingo),
        ];
        const results: RoundResults = roundResults(all, ['coalition', ingo], true, null);
        for (const [index, pillar] of PILLARS.entries()) {
          const shown = resultFor(results, pillar, 'coalition')!;
          const given = coalition
            .map((entry) => entry.ratings[index] as Rating)
            .filter((value): value is number => value !== null);
          expect(shown.rated).toBe(given.length);
          if (given.length < 3) expect(shown.sum).toBeNull();
          else expect(shown.sum).toBe(given.reduce((total, value) => total + value, 0));
        }
        if (coalition.length < 3) expect(results.pooledComments).toEqual([]);
        // The same answers given by the organizations in any other order: the very same results.
        const shuffled = [...coalition].reverse();
        if (seed % 2) shuffled.push(...shuffled.splice(0, 1));
        const again = roundResults(
          [...asAnswers(shuffled, 'coalition'), ...asAnswers(partnerAnswer ? [partnerAnswer] : [], ingo)],
          ['coalition', ingo],
          true,
          null,
        );
        expect(again).toEqual(results);
      }),
      { numRuns: 300 },
    );
  });
});

describe('actions', () => {
  const history = [...ready, opened(), closedUnanswered(facilitator.personId, 25)];
  // The action as nile proposes it and as it is recorded.
  const action = {
    actionId: 'share-budget',
    roundId: 'round-1',
    pillar: 'coLeadership',
    ownerPartyId: ingo,
    dueDate: '2025-03-31',
    description: 'Share the country budget with the coalition before it is final.',
  } as const;
  const propose = command('ProposePartnershipAction', rep('nile'), action);
  const proposed: PartnershipEvent = {
    type: 'PartnershipActionProposed',
    data: {
      partnershipId,
      ...action,
      partyId: 'coalition',
      organizationId: 'nile',
      proposedBy: 'nile-person',
      at: at(30),
    },
  };

  it('are proposed by a party from a closed round, for a party, due in the future', () => {
    spec.given(history).when(propose).then([proposed]);
    spec
      .given([...ready, opened()])
      .when(propose)
      .thenRejects('ROUND_STILL_OPEN');
    spec
      .given(history)
      .when({ ...propose, ownerPartyId: 'someone' } as PartnershipCommand)
      .thenRejects('NOT_A_PARTNER');
    spec
      .given(history)
      .when({ ...propose, dueDate: '2025-01-01' } as PartnershipCommand)
      .thenRejects('DEADLINE_IN_THE_PAST');
    spec
      .given([...history, proposed])
      .when(propose)
      .thenRejects('ACTION_EXISTS');
    spec
      .given(history)
      .when({ ...propose, actor: facilitator } as PartnershipCommand)
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });

  it('are agreed once every party agreed, then followed up in the next round until done', () => {
    const agree = (actor: Actor) => command('AgreeToPartnershipAction', actor, { actionId: 'share-budget' });
    spec
      .given([...history, proposed])
      .when(agree(rep('frontera')))
      .thenRejects('ALREADY_AGREED');
    const followUp = (status: 'inProgress' | 'done' | 'dropped', actor: Actor = partner()) =>
      command('FollowUpPartnershipAction', actor, {
        actionId: 'share-budget',
        status,
        note: 'Shared in draft',
      });
    spec
      .given([...history, proposed])
      .when(followUp('done'))
      .thenRejects('ACTION_NOT_AGREED');
    const agreedEvents = spec
      .given([...history, proposed])
      .when(agree(partner()))
      .then([
        {
          type: 'PartnershipActionAgreedTo',
          data: {
            partnershipId,
            actionId: 'share-budget',
            partyId: ingo,
            organizationId: ingo,
            personId: 'gr-person',
            at: at(30),
          },
        },
        { type: 'PartnershipActionAgreed', data: { partnershipId, actionId: 'share-budget', at: at(30) } },
      ]);
    const agreed = [...history, proposed, ...agreedEvents];
    spec.given(agreed).when(agree(partner())).thenRejects('ALREADY_AGREED');
    // Followed up while the next round is open: the follow-up names that round.
    const [progress] = spec
      .given([...agreed, opened('round-2', 200)])
      .when(followUp('inProgress'))
      .then([
        {
          type: 'PartnershipActionFollowedUp',
          data: {
            partnershipId,
            actionId: 'share-budget',
            roundId: 'round-2',
            status: 'inProgress',
            note: 'Shared in draft',
            partyId: ingo,
            organizationId: ingo,
            personId: 'gr-person',
            at: at(30),
          },
        },
      ]);
    const [done] = spec
      .given([...agreed, progress as PartnershipEvent])
      .when(followUp('done', rep('rumah')))
      .then([
        {
          type: 'PartnershipActionFollowedUp',
          data: {
            partnershipId,
            actionId: 'share-budget',
            roundId: null,
            status: 'done',
            note: 'Shared in draft',
            partyId: 'coalition',
            organizationId: 'rumah',
            personId: 'rumah-person',
            at: at(30),
          },
        },
      ]);
    spec
      .given([...agreed, progress as PartnershipEvent, done as PartnershipEvent])
      .when(followUp('inProgress'))
      .thenRejects('ACTION_FINISHED');
    spec.given(history).when(followUp('done')).thenRejects('ACTION_NOT_FOUND');
  });
});

describe('shared learning', () => {
  // What the party says, as it asks to record it and as it is recorded.
  const reflection = {
    reflectionId: 'after-grant-1',
    about: { kind: 'grant', reference: 'Livelihoods grant 2025' },
    whatWorked: 'Decisions in Arabic first.',
    whatShouldChange: 'Reports due later in the month.',
    strengths: 'Trust between the field teams.',
    weaknesses: 'Late transfers.',
    communityOutcomes: '140 households started a business.',
    language: 'en',
  } as const;
  const record = (actor: Actor) => command('RecordReflection', actor, reflection);

  it('is recorded by any party, once per reflection, and by no one outside the parties', () => {
    const [recorded] = spec
      .given(ready)
      .when(record(partner()))
      .then([
        {
          type: 'ReflectionRecorded',
          data: {
            partnershipId,
            ...reflection,
            partyId: ingo,
            organizationId: ingo,
            recordedBy: 'gr-person',
            at: at(30),
          },
        },
      ]);
    spec
      .given([...ready, recorded as PartnershipEvent])
      .when(record(rep('nile')))
      .thenRejects('REFLECTION_EXISTS');
    // The secretariat speaks for no party (the permission table); an auditor changes nothing.
    spec.given(ready).when(record(facilitator)).thenRejects('FACILITATOR_NOT_ALLOWED');
    spec
      .given(ready)
      .when(record({ role: 'auditor', personId: 'auditor-1', organizationId: null }))
      .thenRejects('AUDITOR_READ_ONLY');
    spec
      .given([])
      .when(record(rep('nile')))
      .thenRejects('PARTNERSHIP_NOT_FOUND');
  });
});

describe('the check-in schedule', () => {
  const state = (events: PartnershipEvent[]) => fold(partnershipDecider, events);
  // Established at(0) (6 January 2025, 09:00) with a check-in every three months.
  const quarterly = {
    ...established,
    data: { ...established.data, checkInEveryMonths: 3 },
  } as PartnershipEvent;

  it('opens the first round once the agreed months have passed since the partnership was established', () => {
    expect(checkInStep(state([quarterly]), '2025-04-06T08:59:59.000Z')).toBeNull();
    expect(checkInStep(state([quarterly]), '2025-04-06T09:00:00.000Z')).toEqual({
      step: 'open',
      round: 1,
      closesAt: '2025-04-20T09:00:00.000Z',
    });
  });

  it('closes an open round once its time has passed, and counts the months from the last opening', () => {
    const open = opened('round-1', 10); // opened at(10), closing at(110)
    expect(checkInStep(state([quarterly, open]), at(109))).toBeNull();
    expect(checkInStep(state([quarterly, open]), at(110))).toEqual({ step: 'close', roundId: 'round-1' });
    const closed = closedUnanswered('system:check-in-schedule', 110);
    // Opened on 6 January 19:00: the next one three months on, on 6 April 19:00.
    expect(checkInStep(state([quarterly, open, closed]), '2025-04-06T18:00:00.000Z')).toBeNull();
    expect(checkInStep(state([quarterly, open, closed]), '2025-04-06T19:00:00.000Z')).toMatchObject({
      step: 'open',
      round: 2,
    });
  });

  it('moves by calendar months, keeping to the last day of a shorter month', () => {
    expect(addMonths('2025-01-31T10:00:00.000Z', 1)).toBe('2025-02-28T10:00:00.000Z');
    expect(addMonths('2024-11-30T00:00:00.000Z', 3)).toBe('2025-02-28T00:00:00.000Z');
    expect(addMonths('2025-05-15T12:30:00.000Z', 12)).toBe('2026-05-15T12:30:00.000Z');
  });

  it('does nothing for a partnership that does not exist', () => {
    expect(checkInStep({ status: 'none' }, at(1000))).toBeNull();
  });
});
