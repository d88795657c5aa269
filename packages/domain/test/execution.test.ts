import { describe, expect, it } from 'vitest';
import {
  type DomainCommand,
  domainCommandSchema,
  domainError,
  executionCommandsFor,
  executionFailureCommandFor,
  foundingCommandsFor,
  type ProposalPayload,
  type StoredDecision,
  streamIdForCommand,
} from '../src/index.ts';
import { budgetChange, grantAward, grantsGroup, smallGrantsIncrease } from './support/coalition.ts';
import { at, rules } from './support/fixtures.ts';
import { decidedEvent } from './support/proposal-events.ts';

const execution = { proposalId: 'p1', decisionEventId: 'evt-42' };
const decision = (
  payload: ProposalPayload,
  outcome: 'adopted' | 'notAdopted' = 'adopted',
): StoredDecision => ({
  id: 'evt-42',
  ...decidedEvent(outcome, { payload }),
});
const commandsFor = (payload: ProposalPayload) => executionCommandsFor(decision(payload), at(201));
const strip = (commands: DomainCommand[]) =>
  commands.map(({ actor, now, ...rest }) => {
    expect(actor).toMatchObject({ role: 'system', organizationId: null });
    expect(now).toBe(at(201));
    return rest;
  });
const recorded = { type: 'RecordProposalExecution', proposalId: 'p1', execution };

describe('executionCommandsFor', () => {
  it('executes nothing for a proposal not adopted', () => {
    expect(executionCommandsFor(decision(smallGrantsIncrease, 'notAdopted'), at(201))).toEqual([]);
  });
  it('executes a budget change on the budget, then grant payments per call, then records the execution', () => {
    const payload = budgetChange([
      { op: 'allocate', lineId: 'grants', delta: 5 },
      { op: 'disburseGrant', lineId: 'grants', grantCallId: 'call-1', applicationId: 'a1', amount: 3 },
      { op: 'disburseGrant', lineId: 'grants', grantCallId: 'call-1', applicationId: 'a2', amount: 4 },
      { op: 'disburseGrant', lineId: 'grants', grantCallId: 'call-2', applicationId: 'a3', amount: 5 },
    ]);
    expect(strip(commandsFor(payload))).toEqual([
      {
        type: 'ExecuteBudgetChange',
        budgetId: 'b1',
        opening: null,
        changes: payload.changes,
        execution,
        decidedBy: { type: 'coalition' },
      },
      {
        type: 'RecordGrantDisbursements',
        grantCallId: 'call-1',
        payments: [
          { applicationId: 'a1', amount: 3 },
          { applicationId: 'a2', amount: 4 },
        ],
        execution,
      },
      {
        type: 'RecordGrantDisbursements',
        grantCallId: 'call-2',
        payments: [{ applicationId: 'a3', amount: 5 }],
        execution,
      },
      recorded,
    ]);
  });
  it('commits the money of a grant award before recording the award', () => {
    const payload = grantAward(7, 'a1');
    expect(strip(commandsFor(payload))).toEqual([
      {
        type: 'ExecuteBudgetChange',
        budgetId: 'b1',
        opening: null,
        decidedBy: { type: 'coalition' },
        changes: [
          {
            op: 'commitGrant',
            lineId: 'grants',
            grantCallId: 'call-1',
            applicationId: 'a1',
            recipientOrganizationId: 'rlo-9',
            amount: 7,
          },
        ],
        execution,
      },
      { type: 'AwardGrant', grantCallId: 'call-1', applicationId: 'a1', amount: 7, execution },
      recorded,
    ]);
  });
  it('amends the charter', () => {
    const payload: ProposalPayload = {
      kind: 'charterChange',
      rules,
      sharedValues: null,
      adoptSops: [],
      retireSopIds: ['old'],
    };
    expect(strip(commandsFor(payload))).toEqual([
      { type: 'AmendCharter', rules, sharedValues: null, adoptSops: [], retireSopIds: ['old'], execution },
      recorded,
    ]);
  });
  it('admits and records departures of members', () => {
    expect(
      strip(
        commandsFor({
          kind: 'membershipChange',
          change: { action: 'admit', organizationId: 'o9', name: 'Nine', firstRepresentativeId: null },
        }),
      ),
    ).toEqual([
      { type: 'AdmitMember', organizationId: 'o9', name: 'Nine', basis: { type: 'decision', execution } },
      recorded,
    ]);
    expect(
      strip(
        commandsFor({
          kind: 'membershipChange',
          change: { action: 'depart', organizationId: 'o9', reason: 'Left' },
        }),
      ),
    ).toEqual([{ type: 'RecordMemberDeparture', organizationId: 'o9', reason: 'Left', execution }, recorded]);
  });
  it('creates, mandates, leads and dissolves working groups', () => {
    const { mandate } = grantsGroup;
    const cases: [ProposalPayload, Record<string, unknown>][] = [
      [
        {
          kind: 'workingGroup',
          change: { action: 'create', groupId: 'g', name: 'G', purpose: 'P', mandate, takeOverLines: false },
        },
        { type: 'CreateWorkingGroup', groupId: 'g', name: 'G', purpose: 'P', mandate, execution },
      ],
      [
        {
          kind: 'workingGroup',
          change: { action: 'setMandate', groupId: 'g', mandate, takeOverLines: false },
        },
        { type: 'SetWorkingGroupMandate', groupId: 'g', mandate, execution },
      ],
      [
        { kind: 'workingGroup', change: { action: 'setLeads', groupId: 'g', leadOrganizationIds: ['o1'] } },
        { type: 'SetWorkingGroupLeads', groupId: 'g', leadOrganizationIds: ['o1'], execution },
      ],
      [
        { kind: 'workingGroup', change: { action: 'dissolve', groupId: 'g' } },
        { type: 'DissolveWorkingGroup', groupId: 'g', execution },
      ],
    ];
    for (const [payload, expected] of cases)
      expect(strip(commandsFor(payload))).toEqual([expected, recorded]);
  });
  it('produces only valid commands, each aimed at its own stream', () => {
    const commands = commandsFor(grantAward(7, 'a1'));
    for (const command of commands) expect(domainCommandSchema.safeParse(command).success).toBe(true);
    expect(commands.map(streamIdForCommand)).toEqual(['budget-b1', 'grantcall-call-1', 'proposal-p1']);
  });
});

describe('executionFailureCommandFor', () => {
  it('records the refusal on the proposal', () => {
    const command = executionFailureCommandFor(
      decision(smallGrantsIncrease),
      domainError('INSUFFICIENT_FUNDS'),
      at(201),
    );
    expect(command).toMatchObject({
      type: 'RecordExecutionFailure',
      proposalId: 'p1',
      execution,
      failure: { code: 'INSUFFICIENT_FUNDS', message: expect.stringContaining('enough') },
    });
  });
});

describe('foundingCommandsFor', () => {
  it('admits each founding member, citing the founding event', () => {
    const commands = foundingCommandsFor(
      {
        id: 'evt-1',
        type: 'CoalitionFounded',
        data: {
          coalitionName: 'C',
          rules,
          sharedValues: [],
          sops: [],
          foundingMembers: [
            { organizationId: 'o1', name: 'One', representativeIds: ['amal'] },
            { organizationId: 'o2', name: 'Two', representativeIds: [] },
          ],
          at: at(0),
        },
      },
      at(0),
    );
    expect(commands.map(streamIdForCommand)).toEqual(['member-o1', 'member-o1', 'member-o2']);
    expect(commands.map((command) => command.type)).toEqual([
      'AdmitMember',
      'AppointRepresentative',
      'AdmitMember',
    ]);
    expect(commands[0]).toMatchObject({
      type: 'AdmitMember',
      basis: { type: 'founding', foundingEventId: 'evt-1' },
    });
  });
});
