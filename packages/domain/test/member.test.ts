import { describe, expect, it } from 'vitest';
import {
  fold,
  type MemberCommand,
  type MemberEvent,
  type MemberProfile,
  memberDecider,
} from '../src/index.ts';
import { at, auditor, exec, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(memberDecider);
const o1 = 'o1';
const foundingBasis = { type: 'founding', foundingEventId: 'founded-1' } as const;
const admitted: MemberEvent = {
  type: 'MemberAdmitted',
  data: { organizationId: o1, name: 'Org One', basis: foundingBasis, at: at(0) },
};
const invited: MemberEvent = {
  type: 'RepresentativeInvited',
  data: { organizationId: o1, personId: 'amal', name: 'Amal', invitedBy: 'facilitator-1', at: at(1) },
};
const joined: MemberEvent = {
  type: 'RepresentativeJoined',
  data: { organizationId: o1, personId: 'amal', at: at(2) },
};
const departed: MemberEvent = {
  type: 'MemberDeparted',
  data: {
    organizationId: o1,
    reason: 'Merged with another organization',
    execution: exec('leave'),
    at: at(5),
  },
};
const profile: MemberProfile = {
  availability: 'Tuesdays, UTC+3',
  interests: ['livelihoods'],
  goals: ['Fund women-led RLOs'],
  timeCommitmentHoursPerMonth: 12,
  languages: ['ar', 'en'],
};

const command = <T extends MemberCommand['type']>(
  type: T,
  fields: Omit<Extract<MemberCommand, { type: T }>, 'type' | 'actor' | 'now'>,
  actor = rep(o1, 'amal'),
) => ({ type, actor, now: at(3), ...fields }) as Extract<MemberCommand, { type: T }>;

describe('AdmitMember', () => {
  const admit = command('AdmitMember', { organizationId: o1, name: 'Org One', basis: foundingBasis }, system);
  it('admits a founding member', () => {
    spec
      .given([])
      .when({ ...admit, now: at(0) })
      .then([admitted]);
  });
  it('admits by an adopted membership decision, also after a departure', () => {
    const basis = { type: 'decision', execution: exec('rejoin') } as const;
    spec
      .given([admitted, departed])
      .when({ ...admit, basis })
      .then([{ type: 'MemberAdmitted', data: { organizationId: o1, name: 'Org One', basis, at: at(3) } }]);
  });
  it('recognises a re-run of the same admission', () => {
    spec.given([admitted]).when(admit).thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('refuses a decision already executed on this organization', () => {
    spec
      .given([admitted, departed])
      .when({ ...admit, basis: { type: 'decision', execution: exec('leave') } })
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('refuses to admit a member twice', () => {
    spec
      .given([admitted])
      .when({ ...admit, basis: { type: 'decision', execution: exec('again') } })
      .thenRejects('ALREADY_A_MEMBER');
  });
  it('is refused to people: admission is by decision only', () => {
    spec
      .given([])
      .when({ ...admit, actor: facilitator })
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given([])
      .when({ ...admit, actor: rep('o2') })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('RecordMemberDeparture', () => {
  const depart = command(
    'RecordMemberDeparture',
    { organizationId: o1, reason: 'Merged with another organization', execution: exec('leave') },
    system,
  );
  it('records a decided departure and ends its representation', () => {
    spec
      .given([admitted, invited, joined])
      .when({ ...depart, now: at(5) })
      .then([departed]);
    const state = fold(memberDecider, [admitted, invited, joined, departed]);
    expect(state).toMatchObject({ status: 'departed', representatives: {} });
  });
  it('recognises a re-run of the same departure', () => {
    spec.given([admitted, departed]).when(depart).thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('refuses a departure of a non-member', () => {
    spec.given([]).when(depart).thenRejects('NOT_A_MEMBER');
  });
  it('is refused to people', () => {
    spec
      .given([admitted])
      .when({ ...depart, actor: rep(o1) })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('InviteRepresentative', () => {
  const invite = command(
    'InviteRepresentative',
    { organizationId: o1, personId: 'amal', name: 'Amal' },
    facilitator,
  );
  it('lets a facilitator invite', () => {
    spec
      .given([admitted])
      .when({ ...invite, now: at(1) })
      .then([invited]);
  });
  it("lets a representative invite for their own organization, not for another's", () => {
    spec
      .given([admitted])
      .when({ ...invite, actor: rep(o1, 'samir') })
      .then([{ ...invited, data: { ...invited.data, invitedBy: 'samir', at: at(3) } }] as MemberEvent[]);
    spec
      .given([admitted])
      .when({ ...invite, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
  });
  it('refuses an organization that is not a member', () => {
    spec.given([]).when(invite).thenRejects('NOT_A_MEMBER');
  });
  it('refuses a person already invited', () => {
    spec.given([admitted, invited]).when(invite).thenRejects('ALREADY_A_REPRESENTATIVE');
  });
  it('is refused to an auditor', () => {
    spec
      .given([admitted])
      .when({ ...invite, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('AcceptRepresentation', () => {
  const accept = command('AcceptRepresentation', { organizationId: o1 });
  it('lets the invited person accept', () => {
    spec
      .given([admitted, invited])
      .when({ ...accept, now: at(2) })
      .then([joined]);
    expect(fold(memberDecider, [admitted, invited, joined])).toMatchObject({
      representatives: { amal: { name: 'Amal', status: 'active' } },
    });
  });
  it('refuses anyone without an open invitation', () => {
    spec.given([admitted]).when(accept).thenRejects('INVITATION_NOT_FOUND');
    spec.given([admitted, invited, joined]).when(accept).thenRejects('INVITATION_NOT_FOUND');
  });
  it('refuses after the organization left', () => {
    spec.given([]).when(accept).thenRejects('NOT_A_MEMBER');
  });
  it('is refused to a process step', () => {
    spec
      .given([admitted, invited])
      .when({ ...accept, actor: system })
      .thenRejects('PEOPLE_ONLY');
  });
});

describe('RemoveRepresentative', () => {
  const remove = command('RemoveRepresentative', { organizationId: o1, personId: 'amal' }, rep(o1, 'samir'));
  it('lets a representative of the organization remove a representative', () => {
    spec
      .given([admitted, invited, joined])
      .when(remove)
      .then([
        {
          type: 'RepresentativeRemoved',
          data: { organizationId: o1, personId: 'amal', removedBy: 'samir', at: at(3) },
        },
      ]);
    expect(
      fold(memberDecider, [
        admitted,
        invited,
        {
          type: 'RepresentativeRemoved',
          data: { organizationId: o1, personId: 'amal', removedBy: 'samir', at: at(3) },
        },
      ]),
    ).toMatchObject({ representatives: {} });
  });
  it('refuses someone who does not represent it', () => {
    spec.given([admitted]).when(remove).thenRejects('REPRESENTATIVE_NOT_FOUND');
  });
  it('refuses another organization and a facilitator', () => {
    spec
      .given([admitted, invited])
      .when({ ...remove, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([admitted, invited])
      .when({ ...remove, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
  it('refuses for a non-member', () => {
    spec.given([]).when(remove).thenRejects('NOT_A_MEMBER');
  });
});

describe('UpdateMemberProfile', () => {
  const update = command('UpdateMemberProfile', { organizationId: o1, profile });
  it("records the organization's availability, interests, goals and time", () => {
    spec
      .given([admitted])
      .when(update)
      .then([
        { type: 'MemberProfileUpdated', data: { organizationId: o1, profile, updatedBy: 'amal', at: at(3) } },
      ]);
  });
  it('refuses another organization, a facilitator and a non-member', () => {
    spec
      .given([admitted])
      .when({ ...update, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([admitted])
      .when({ ...update, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
    spec.given([]).when(update).thenRejects('NOT_A_MEMBER');
  });
  it('refuses an impossible time commitment', () => {
    spec
      .given([admitted])
      .when({ ...update, profile: { ...profile, timeCommitmentHoursPerMonth: -2 } } as MemberCommand)
      .thenRejects('INVALID_COMMAND');
  });
});
