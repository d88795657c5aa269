import { describe, expect, it } from 'vitest';
import {
  aggregateOf,
  type DomainCommand,
  decideOn,
  domainError,
  domainEventSchema,
  errorCatalogue,
  eventSchemaVersions,
  isDomainError,
  streamIdFor,
  streamIdForCommand,
  upcast,
} from '../src/index.ts';
import { at, facilitator, rep, rules, system } from './support/fixtures.ts';

describe('streams', () => {
  it('names one stream per aggregate instance, the charter being a singleton', () => {
    expect(streamIdFor.proposal('x')).toBe('proposal-x');
    expect(streamIdFor.budget('x')).toBe('budget-x');
    expect(streamIdFor.workingGroup('x')).toBe('workinggroup-x');
    expect(streamIdFor.member('x')).toBe('member-x');
    expect(streamIdFor.grantCall('x')).toBe('grantcall-x');
    expect(streamIdFor.charter()).toBe('charter');
  });
  it('knows the stream each command targets', () => {
    const now = at(0);
    const cases: [DomainCommand, string, string][] = [
      [
        {
          type: 'FoundCoalition',
          actor: facilitator,
          now,
          coalitionName: 'C',
          rules,
          sharedValues: [],
          sops: [],
          foundingMembers: [],
        },
        'charter',
        'charter',
      ],
      [
        {
          type: 'UpdateMemberProfile',
          actor: rep('o1'),
          now,
          organizationId: 'o1',
          profile: {
            availability: '',
            interests: [],
            goals: [],
            timeCommitmentHoursPerMonth: null,
            languages: [],
          },
        },
        'member',
        'member-o1',
      ],
      [
        { type: 'JoinWorkingGroup', actor: rep('o1'), now, groupId: 'g', hoursPerMonth: 1 },
        'workingGroup',
        'workinggroup-g',
      ],
      [
        {
          type: 'RaiseBudgetQuestion',
          actor: rep('o1'),
          now,
          budgetId: 'b',
          questionId: 'q',
          lineId: 'l',
          text: 't',
        },
        'budget',
        'budget-b',
      ],
      [
        {
          type: 'AwardGrant',
          actor: system,
          now,
          grantCallId: 'c',
          applicationId: 'a',
          amount: 1,
          execution: { proposalId: 'p', decisionEventId: 'e' },
        },
        'grantCall',
        'grantcall-c',
      ],
      [{ type: 'DecideProposal', actor: facilitator, now, proposalId: 'p' }, 'proposal', 'proposal-p'],
    ];
    for (const [command, aggregate, stream] of cases) {
      expect(aggregateOf(command)).toBe(aggregate);
      expect(streamIdForCommand(command)).toBe(stream);
    }
  });
});

describe('decideOn', () => {
  it("decides any command against its stream's history with the right decider", () => {
    const founded = decideOn(
      {
        type: 'FoundCoalition',
        actor: facilitator,
        now: at(0),
        coalitionName: 'C',
        rules,
        sharedValues: [],
        sops: [],
        foundingMembers: [{ organizationId: 'o1', name: 'One' }],
      },
      [],
    );
    expect(isDomainError(founded) ? founded.code : founded.map((event) => event.type)).toEqual([
      'CoalitionFounded',
    ]);
    const again = decideOn(
      {
        type: 'FoundCoalition',
        actor: facilitator,
        now: at(1),
        coalitionName: 'C',
        rules,
        sharedValues: [],
        sops: [],
        foundingMembers: [{ organizationId: 'o1', name: 'One' }],
      },
      isDomainError(founded) ? [] : founded,
    );
    expect(isDomainError(again) && again.code).toBe('COALITION_ALREADY_FOUNDED');
  });
});

describe('errors', () => {
  it('gives every code a message a member can read', () => {
    for (const [code, message] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(message).toMatch(/^[A-Z].{15,}\.$/);
    }
  });
  it('tells refusals from events', () => {
    expect(isDomainError(domainError('QUORUM_NOT_MET', { counted: 1 }))).toBe(true);
    expect(domainError('QUORUM_NOT_MET')).not.toHaveProperty('details');
    expect(isDomainError([])).toBe(false);
    expect(isDomainError({ code: 'SOMETHING_ELSE', message: 'x' })).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });
});

describe('event versions and upcasting', () => {
  const v1 = {
    proposalId: 'p1',
    organizationId: 'o1',
    personId: 'o1-person',
    position: 'object',
    reason: 'Harms our partners',
    at: at(5),
  };
  it('gives every event type a schema version', () => {
    const types = domainEventSchema.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(eventSchemaVersions).sort()).toEqual(types);
  });
  it('reads a StanceTaken of version 1 (positions) as the current shape', () => {
    expect(upcast('StanceTaken', 1, v1)).toEqual({
      type: 'StanceTaken',
      data: {
        proposalId: 'p1',
        organizationId: 'o1',
        personId: 'o1-person',
        stance: 'block',
        reason: 'Harms our partners',
        revision: 1,
        round: 1,
        at: at(5),
      },
    });
    const { reason: _reason, ...withoutReason } = v1;
    expect(upcast('StanceTaken', 1, { ...withoutReason, position: 'agree' })).toMatchObject({
      data: { stance: 'consent', reason: null },
    });
  });
  it('passes current versions through, validated', () => {
    const current = {
      proposalId: 'p1',
      commentId: 'c1',
      text: 'Hi',
      attachments: [],
      personId: 'x',
      organizationId: null,
      at: at(1),
    };
    expect(upcast('ProposalCommented', 1, current)).toEqual({ type: 'ProposalCommented', data: current });
    expect(() => upcast('ProposalCommented', 1, { ...current, text: '' })).toThrow();
  });
  it('stops loudly on what it cannot read', () => {
    expect(() => upcast('Nope', 1, {})).toThrow(/Unknown event type/);
    expect(() => upcast('StanceTaken', 3, {})).toThrow(/no schema version 3/);
    expect(() => upcast('ProposalCommented', 0, {})).toThrow(/no schema version 0/);
    expect(() => upcast('StanceTaken', 1, { ...v1, position: 'maybe' })).toThrow();
  });
});
