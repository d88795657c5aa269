import { describe, expect, it } from 'vitest';
import {
  fold,
  type WorkingGroupCommand,
  type WorkingGroupEvent,
  workingGroupDecider,
  workingGroupFacts,
} from '../src/index.ts';
import { at, auditor, exec, facilitator, mandate, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(workingGroupDecider);
const groupId = 'grants-wg';
const created: WorkingGroupEvent = {
  type: 'WorkingGroupCreated',
  data: {
    groupId,
    name: 'Grants',
    purpose: 'Runs grant rounds',
    mandate: mandate(),
    execution: exec('create'),
    at: at(0),
  },
};
const joined = (organizationId: string, hoursPerMonth = 8): WorkingGroupEvent => ({
  type: 'WorkingGroupJoined',
  data: {
    groupId,
    organizationId,
    personId: `${organizationId}-person`,
    hoursPerMonth,
    reason: null,
    at: at(1),
  },
});
const dissolved: WorkingGroupEvent = {
  type: 'WorkingGroupDissolved',
  data: { groupId, execution: exec('dissolve'), at: at(9) },
};

const command = <T extends WorkingGroupCommand['type']>(
  type: T,
  fields: Omit<Extract<WorkingGroupCommand, { type: T }>, 'type' | 'actor' | 'now'>,
  actor = system,
) => ({ type, actor, now: at(2), ...fields }) as unknown as WorkingGroupCommand;

describe('CreateWorkingGroup', () => {
  const create = command('CreateWorkingGroup', {
    groupId,
    name: 'Grants',
    purpose: 'Runs grant rounds',
    mandate: mandate(),
    execution: exec('create'),
  });
  it('creates a group decided by the coalition', () => {
    spec
      .given([])
      .when({ ...create, now: at(0) })
      .then([created]);
  });
  it('recognises a re-run and refuses a second group with the same id', () => {
    spec.given([created]).when(create).thenRejects('DECISION_ALREADY_EXECUTED');
    spec
      .given([created])
      .when({ ...create, execution: exec('other') } as WorkingGroupCommand)
      .thenRejects('WORKING_GROUP_EXISTS');
  });
  it('is refused to people', () => {
    spec
      .given([])
      .when({ ...create, actor: facilitator })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('SetWorkingGroupMandate', () => {
  const wider = mandate({ perDecisionLimit: { maxAmount: null, maxShareBasisPoints: 1000 } });
  const set = command('SetWorkingGroupMandate', { groupId, mandate: wider, execution: exec('mandate') });
  it('replaces the mandate', () => {
    spec
      .given([created])
      .when(set)
      .then([
        {
          type: 'WorkingGroupMandateSet',
          data: { groupId, mandate: wider, execution: exec('mandate'), at: at(2) },
        },
      ]);
  });
  it('refuses an unknown or dissolved group, and a re-run', () => {
    spec.given([]).when(set).thenRejects('WORKING_GROUP_NOT_FOUND');
    spec.given([created, dissolved]).when(set).thenRejects('WORKING_GROUP_DISSOLVED');
    spec
      .given([
        created,
        {
          type: 'WorkingGroupMandateSet',
          data: { groupId, mandate: wider, execution: exec('mandate'), at: at(2) },
        },
      ])
      .when(set)
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('is refused to a representative', () => {
    spec
      .given([created])
      .when({ ...set, actor: rep('o1') })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('SetWorkingGroupLeads', () => {
  const set = command('SetWorkingGroupLeads', {
    groupId,
    leadOrganizationIds: ['o1'],
    execution: exec('leads'),
  });
  it('names leads among the members', () => {
    spec
      .given([created, joined('o1')])
      .when(set)
      .then([
        {
          type: 'WorkingGroupLeadsSet',
          data: { groupId, leadOrganizationIds: ['o1'], execution: exec('leads'), at: at(2) },
        },
      ]);
  });
  it('refuses a lead that is not in the group', () => {
    spec
      .given([created, joined('o2')])
      .when(set)
      .thenRejects('NOT_IN_WORKING_GROUP', { organizationId: 'o1' });
  });
  it('applies a decision once', () => {
    const leadsSet: WorkingGroupEvent = {
      type: 'WorkingGroupLeadsSet',
      data: { groupId, leadOrganizationIds: ['o1'], execution: exec('leads'), at: at(2) },
    };
    spec
      .given([created, joined('o1'), leadsSet])
      .when(set)
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
});

describe('DissolveWorkingGroup', () => {
  const dissolve = command('DissolveWorkingGroup', { groupId, execution: exec('dissolve') });
  it('dissolves the group', () => {
    spec
      .given([created])
      .when({ ...dissolve, now: at(9) })
      .then([dissolved]);
    expect(fold(workingGroupDecider, [created, dissolved]).status).toBe('dissolved');
  });
  it('recognises a re-run', () => {
    spec.given([created, dissolved]).when(dissolve).thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('refuses an unknown group', () => {
    spec.given([]).when(dissolve).thenRejects('WORKING_GROUP_NOT_FOUND');
  });
});

describe('JoinWorkingGroup', () => {
  const join = command('JoinWorkingGroup', { groupId, hoursPerMonth: 8, reason: null }, rep('o1'));
  it("brings the representative's organization in with its time commitment", () => {
    spec
      .given([created])
      .when({ ...join, now: at(1) })
      .then([joined('o1')]);
  });
  it('refuses an organization already in the group', () => {
    spec
      .given([created, joined('o1')])
      .when(join)
      .thenRejects('ALREADY_IN_WORKING_GROUP');
  });
  it('refuses a dissolved or unknown group', () => {
    spec.given([created, dissolved]).when(join).thenRejects('WORKING_GROUP_DISSOLVED');
    spec.given([]).when(join).thenRejects('WORKING_GROUP_NOT_FOUND');
  });
  it('is refused to a facilitator and an auditor: they are not organizations', () => {
    spec
      .given([created])
      .when({ ...join, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
    spec
      .given([created])
      .when({ ...join, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('LeaveWorkingGroup', () => {
  const leave = command(
    'LeaveWorkingGroup',
    { groupId, reason: 'We cannot give it the time this year' },
    rep('o1'),
  );
  it('takes the organization out, and out of the leads', () => {
    const left: WorkingGroupEvent = {
      type: 'WorkingGroupLeft',
      data: {
        groupId,
        organizationId: 'o1',
        personId: 'o1-person',
        reason: 'We cannot give it the time this year',
        at: at(2),
      },
    };
    const leadsSet: WorkingGroupEvent = {
      type: 'WorkingGroupLeadsSet',
      data: { groupId, leadOrganizationIds: ['o1', 'o2'], execution: exec('leads'), at: at(1) },
    };
    spec
      .given([created, joined('o1')])
      .when(leave)
      .then([left]);
    const state = fold(workingGroupDecider, [created, joined('o1'), joined('o2'), leadsSet, left]);
    expect(state).toMatchObject({ leadOrganizationIds: ['o2'], members: { o2: { hoursPerMonth: 8 } } });
    expect(workingGroupFacts(state)?.memberIds).toEqual(['o2']);
  });
  it('refuses an organization not in the group', () => {
    spec.given([created]).when(leave).thenRejects('NOT_IN_WORKING_GROUP');
  });
});

describe('CommitTime', () => {
  const commit = command('CommitTime', { groupId, hoursPerMonth: 20, reason: null }, rep('o1'));
  it('restates the time the organization commits', () => {
    const committed: WorkingGroupEvent = {
      type: 'TimeCommitted',
      data: {
        groupId,
        organizationId: 'o1',
        personId: 'o1-person',
        hoursPerMonth: 20,
        reason: null,
        at: at(2),
      },
    };
    spec
      .given([created, joined('o1')])
      .when(commit)
      .then([committed]);
    expect(fold(workingGroupDecider, [created, joined('o1'), committed])).toMatchObject({
      members: { o1: { hoursPerMonth: 20 } },
    });
  });
  it('refuses an organization not in the group, and a negative commitment', () => {
    spec.given([created]).when(commit).thenRejects('NOT_IN_WORKING_GROUP');
    spec
      .given([created, joined('o1')])
      .when({ ...commit, hoursPerMonth: -1 } as WorkingGroupCommand)
      .thenRejects('INVALID_COMMAND');
  });
});

describe('workingGroupFacts', () => {
  it('is null for a group that does not exist', () => {
    expect(workingGroupFacts(workingGroupDecider.initialState())).toBeNull();
  });
});
