import { describe, expect, it } from 'vitest';
import {
  activeRepresentativeIds,
  fold,
  forgettingCommandsFor,
  type MemberCommand,
  type MemberEvent,
  type MemberProfile,
  memberDecider,
  type PersonForgotten,
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
/** A facilitator invited Amal: the organization has not confirmed her yet. */
const invited: MemberEvent = {
  type: 'RepresentativeInvited',
  data: {
    organizationId: o1,
    personId: 'amal',
    invitedBy: 'facilitator-1',
    confirmed: false,
    reason: null,
    at: at(1),
  },
};
const joined: MemberEvent = {
  type: 'RepresentativeJoined',
  data: { organizationId: o1, personId: 'amal', at: at(2) },
};
/** Samir, named at the founding, represents o1: he confirms, invites and removes for it. */
const samirAppointed: MemberEvent = {
  type: 'RepresentativeAppointed',
  data: { organizationId: o1, personId: 'samir', basis: foundingBasis, at: at(0) },
};
const samirJoined: MemberEvent = {
  type: 'RepresentativeJoined',
  data: { organizationId: o1, personId: 'samir', at: at(0) },
};
const confirmed: MemberEvent = {
  type: 'RepresentativeConfirmed',
  data: { organizationId: o1, personId: 'amal', confirmedBy: 'samir', reason: null, at: at(3) },
};
const o1Represented = [admitted, samirAppointed, samirJoined];
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
    { organizationId: o1, personId: 'amal', reason: null },
    facilitator,
  );
  it('lets a facilitator invite: the organization has yet to confirm', () => {
    spec
      .given([admitted])
      .when({ ...invite, now: at(1) })
      .then([invited]);
  });
  it("counts an invitation by the organization's own representative as its confirmation", () => {
    spec
      .given(o1Represented)
      .when({ ...invite, actor: rep(o1, 'samir'), reason: 'Our new programme lead' })
      .then([
        {
          type: 'RepresentativeInvited',
          data: {
            organizationId: o1,
            personId: 'amal',
            invitedBy: 'samir',
            confirmed: true,
            reason: 'Our new programme lead',
            at: at(3),
          },
        },
      ]);
  });
  it('refuses a representative inviting for another organization, or for one they no longer represent', () => {
    spec
      .given(o1Represented)
      .when({ ...invite, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([admitted])
      .when({ ...invite, actor: rep(o1, 'samir') })
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
  it('lets the invited person accept; they represent the organization only once it confirms', () => {
    spec
      .given([admitted, invited])
      .when({ ...accept, now: at(2) })
      .then([joined]);
    expect(fold(memberDecider, [admitted, invited, joined])).toMatchObject({
      representatives: { amal: { accepted: true, confirmed: false, status: 'awaitingConfirmation' } },
    });
    expect(activeRepresentativeIds(fold(memberDecider, [admitted, invited, joined]))).toEqual([]);
    expect(
      activeRepresentativeIds(fold(memberDecider, [...o1Represented, invited, joined, confirmed])),
    ).toEqual(['samir', 'amal']);
  });
  it('refuses anyone without an open invitation', () => {
    spec.given([admitted]).when(accept).thenRejects('INVITATION_NOT_FOUND');
    spec.given([admitted, invited, joined]).when(accept).thenRejects('INVITATION_NOT_FOUND');
  });
  it('refuses after the organization left', () => {
    spec.given([]).when(accept).thenRejects('NOT_A_MEMBER');
  });
  it('is refused to a process step and to a facilitator', () => {
    spec
      .given([admitted, invited])
      .when({ ...accept, actor: system })
      .thenRejects('PEOPLE_ONLY');
    spec
      .given([admitted, invited])
      .when({ ...accept, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
});

describe('ConfirmRepresentative', () => {
  const confirm = command(
    'ConfirmRepresentative',
    { organizationId: o1, personId: 'amal', reason: null },
    rep(o1, 'samir'),
  );
  it("lets the organization's representative confirm a person the facilitator invited, before or after they accept", () => {
    spec
      .given([...o1Represented, invited, joined])
      .when(confirm)
      .then([confirmed]);
    spec
      .given([...o1Represented, invited])
      .when(confirm)
      .then([confirmed]);
    expect(fold(memberDecider, [...o1Represented, invited, confirmed])).toMatchObject({
      representatives: { amal: { accepted: false, confirmed: true, status: 'invited' } },
    });
    expect(fold(memberDecider, [...o1Represented, invited, confirmed, joined])).toMatchObject({
      representatives: { amal: { status: 'active' } },
    });
  });
  it('never lets the facilitator confirm: the organization decides who speaks for it', () => {
    spec
      .given([...o1Represented, invited, joined])
      .when({ ...confirm, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
  it('refuses another organization, someone not (yet) representing it, and the person themself', () => {
    spec
      .given([...o1Represented, invited, joined])
      .when({ ...confirm, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([admitted, invited, joined])
      .when({ ...confirm, actor: rep(o1, 'amal') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
  });
  it('refuses a person without an invitation, and a second confirmation', () => {
    spec.given(o1Represented).when(confirm).thenRejects('REPRESENTATIVE_NOT_FOUND');
    spec
      .given([...o1Represented, invited, confirmed])
      .when(confirm)
      .thenRejects('ALREADY_CONFIRMED');
  });
});

describe('AppointRepresentative', () => {
  const byDecision = { type: 'decision', execution: exec('appoint') } as const;
  const appoint = command(
    'AppointRepresentative',
    { organizationId: o1, personId: 'amal', basis: byDecision },
    system,
  );
  const appointed: MemberEvent = {
    type: 'RepresentativeAppointed',
    data: { organizationId: o1, personId: 'amal', basis: byDecision, at: at(3) },
  };
  it('names the representative of an organization that has none, by a coalition decision', () => {
    spec.given([admitted]).when(appoint).then([appointed]);
  });
  it('confirms a pending invitation, and the person still accepts', () => {
    expect(fold(memberDecider, [admitted, invited, joined, appointed])).toMatchObject({
      representatives: { amal: { status: 'active' } },
      executedProposalIds: ['appoint'],
    });
    expect(fold(memberDecider, [admitted, appointed])).toMatchObject({
      representatives: { amal: { status: 'invited', confirmed: true } },
    });
  });
  it('refuses while the organization has a representative of its own', () => {
    spec.given(o1Represented).when(appoint).thenRejects('ORGANIZATION_IS_REPRESENTED');
  });
  it('applies a decision once, and the founding once per person', () => {
    spec.given([admitted, appointed]).when(appoint).thenRejects('DECISION_ALREADY_EXECUTED');
    spec
      .given([admitted, samirAppointed])
      .when({ ...appoint, personId: 'samir', basis: foundingBasis })
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('follows the admission the same decision made', () => {
    const admittedByDecision: MemberEvent = {
      type: 'MemberAdmitted',
      data: { organizationId: o1, name: 'Org One', basis: byDecision, at: at(3) },
    };
    spec.given([admittedByDecision]).when(appoint).then([appointed]);
  });
  it('refuses a non-member, and people', () => {
    spec.given([]).when(appoint).thenRejects('NOT_A_MEMBER');
    spec
      .given([admitted])
      .when({ ...appoint, actor: facilitator })
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given([admitted])
      .when({ ...appoint, actor: rep(o1) })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('RemoveRepresentative', () => {
  const remove = command(
    'RemoveRepresentative',
    { organizationId: o1, personId: 'amal', reason: 'Left our organization' },
    rep(o1, 'samir'),
  );
  const removed: MemberEvent = {
    type: 'RepresentativeRemoved',
    data: {
      organizationId: o1,
      personId: 'amal',
      removedBy: 'samir',
      reason: 'Left our organization',
      at: at(3),
    },
  };
  it('lets a representative of the organization remove a representative, or decline an invitation', () => {
    spec
      .given([...o1Represented, invited, joined, confirmed])
      .when(remove)
      .then([removed]);
    spec
      .given([...o1Represented, invited])
      .when(remove)
      .then([removed]);
    expect(fold(memberDecider, [...o1Represented, invited, removed])).toMatchObject({
      representatives: { samir: { status: 'active' } },
    });
    expect(activeRepresentativeIds(fold(memberDecider, [...o1Represented, invited, removed]))).toEqual([
      'samir',
    ]);
  });
  it('refuses someone who does not represent it', () => {
    spec.given(o1Represented).when(remove).thenRejects('REPRESENTATIVE_NOT_FOUND');
  });
  it('refuses another organization and a facilitator', () => {
    spec
      .given([...o1Represented, invited])
      .when({ ...remove, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given([...o1Represented, invited])
      .when({ ...remove, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
  it('refuses for a non-member', () => {
    spec.given([]).when(remove).thenRejects('NOT_A_MEMBER');
  });
  it('is the step after a forgetting: it ends the representation, of the last representative too', () => {
    const forgotten: PersonForgotten = {
      type: 'PersonForgotten',
      data: { personId: 'samir', forgottenBy: 'samir', on: 'self', organizationIds: [o1], at: at(2) },
    };
    const steps = forgettingCommandsFor(forgotten, at(3));
    expect(steps).toHaveLength(1);
    // Commands as built (defaults optional) are the commands the decider parses.
    const step = steps[0] as MemberCommand;
    const ended: MemberEvent = {
      type: 'RepresentativeRemoved',
      data: {
        organizationId: o1,
        personId: 'samir',
        removedBy: 'system:forgetting',
        reason: 'The person was forgotten: an erased account cannot speak for the organization.',
        at: at(3),
      },
    };
    spec.given(o1Represented).when(step).then([ended]);
    // Nobody left: the coalition may appoint the organization a representative again.
    expect(activeRepresentativeIds(fold(memberDecider, [...o1Represented, ended]))).toEqual([]);
    // Done already (or never named): refused, which the step takes as done.
    spec
      .given([...o1Represented, ended])
      .when(step)
      .thenRejects('REPRESENTATIVE_NOT_FOUND');
  });
});

describe('UpdateMemberProfile', () => {
  const update = command(
    'UpdateMemberProfile',
    { organizationId: o1, profile, reason: null },
    rep(o1, 'samir'),
  );
  it("records the organization's availability, interests, goals and time", () => {
    spec
      .given(o1Represented)
      .when({ ...update, reason: 'New programme year' })
      .then([
        {
          type: 'MemberProfileUpdated',
          data: { organizationId: o1, profile, updatedBy: 'samir', reason: 'New programme year', at: at(3) },
        },
      ]);
  });
  it('refuses another organization, a facilitator and a non-member', () => {
    spec
      .given(o1Represented)
      .when({ ...update, actor: rep('o2') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec
      .given(o1Represented)
      .when({ ...update, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
    spec.given([]).when(update).thenRejects('NOT_A_MEMBER');
  });
  it('refuses a person who no longer represents the organization', () => {
    spec.given([admitted]).when(update).thenRejects('NOT_YOUR_ORGANIZATION');
  });
  it('refuses an impossible time commitment', () => {
    spec
      .given(o1Represented)
      .when({ ...update, profile: { ...profile, timeCommitmentHoursPerMonth: -2 } } as MemberCommand)
      .thenRejects('INVALID_COMMAND');
  });
});
