import { describe, expect, it } from 'vitest';
import {
  type ActorRole,
  allowedCommands,
  type CommandType,
  checkPermission,
  commandSchemasByAggregate,
  decideOn,
  isDomainError,
  rolesAllowedTo,
} from '../src/index.ts';
import { at, auditor, facilitator, rep, system } from './support/fixtures.ts';

const everyCommandType = Object.values(commandSchemasByAggregate).flatMap((union) =>
  union.options.map((option) => option.shape.type.value as CommandType),
);
const partner = { role: 'partner', personId: 'partner-person', organizationId: 'ingo' } as const;
const actors = { representative: rep('o1'), facilitator, auditor, system, partner } as const;

describe('the permission table', () => {
  it('names every command for at least one role, and only commands that exist', () => {
    for (const type of everyCommandType) expect(rolesAllowedTo(type).length).toBeGreaterThan(0);
    const listed = new Set(Object.values(allowedCommands).flat());
    expect([...listed].sort()).toEqual([...new Set(everyCommandType)].sort());
  });

  it("states the facilitator's allowed commands as one list: it never acts in a member's name", () => {
    expect([...allowedCommands.facilitator].sort()).toEqual(
      [
        'FoundCoalition',
        'InviteRepresentative',
        'SubmitGrantApplication',
        'DraftProposal',
        'AmendProposal',
        'OpenProposal',
        'CommentOnProposal',
        'WithdrawProposal',
        'ScheduleDecision',
        'RemindUndecided',
        'DecideProposal',
        'ForgetPerson',
        'InvitePartnerContact',
        'RemovePartnerContact',
        'OpenCheckInRound',
        'CloseCheckInRound',
      ].sort(),
    );
    for (const forbidden of [
      'TakeStance',
      'ConfirmRepresentative',
      'AcceptRepresentation',
      'RemoveRepresentative',
      'UpdateMemberProfile',
      'JoinWorkingGroup',
      'ReviewGrantApplication',
      'AnswerBudgetQuestion',
      'ExecuteBudgetChange',
      'RegisterWitnessKey',
      'RevokeWitnessKey',
      'PublishLogKey',
    ] as const) {
      expect(allowedCommands.facilitator).not.toContain(forbidden);
    }
  });

  it("lets a partner's person take part in partnerships, and nothing of the coalition's own", () => {
    expect([...allowedCommands.partner].sort()).toEqual(
      [
        'AcceptPartnerContact',
        'RemovePartnerContact',
        'AnswerCheckIn',
        'ProposePartnershipAction',
        'AgreeToPartnershipAction',
        'FollowUpPartnershipAction',
        'RecordReflection',
      ].sort(),
    );
  });

  it('lets auditors issue nothing', () => {
    expect(allowedCommands.auditor).toEqual([]);
  });

  // Every command, issued by every role the table does not allow, is refused before its decider looks at
  // anything else: the refusal names the role's limit, whatever the command's content or the state.
  for (const role of Object.keys(actors) as ActorRole[]) {
    const forbidden = everyCommandType.filter((type) => !rolesAllowedTo(type).includes(role));
    it(`refuses the ${role} every command outside its list (${forbidden.length})`, () => {
      const expected = {
        representative: 'DECISION_EXECUTION_ONLY',
        auditor: 'AUDITOR_READ_ONLY',
        system: 'PEOPLE_ONLY',
        partner: 'PARTNER_NOT_ALLOWED',
        facilitator: null,
      }[role];
      for (const type of forbidden) {
        const command = { type, actor: actors[role], now: at(0) } as never;
        const refused = decideOn(command, []);
        expect(isDomainError(refused), `${role} ${type}`).toBe(true);
        const code = isDomainError(refused) ? refused.code : null;
        const allowedRoles = rolesAllowedTo(type);
        const systemOnly = allowedRoles.join() === 'system';
        // A representative is told whose the command is: a process step's, the secretariat's, or a partner's.
        const forRepresentative = systemOnly
          ? 'DECISION_EXECUTION_ONLY'
          : allowedRoles.includes('facilitator')
            ? 'FACILITATOR_ONLY'
            : 'NOT_A_PARTY';
        expect(code, `${role} ${type}`).toBe(
          role === 'representative'
            ? forRepresentative
            : (expected ?? (systemOnly ? 'DECISION_EXECUTION_ONLY' : 'FACILITATOR_NOT_ALLOWED')),
        );
      }
    });
  }

  it('leaves input too malformed to judge to the schema', () => {
    expect(checkPermission(null)).toBeNull();
    expect(checkPermission({ type: 'TakeStance' })).toBeNull();
    expect(checkPermission({ type: 'NoSuchCommand', actor: facilitator })).toBeNull();
    expect(checkPermission({ type: 'TakeStance', actor: { role: 'nobody' } })).toBeNull();
    expect(decideOn({ type: 'TakeStance', actor: { role: 'nobody' } } as never, [])).toMatchObject({
      code: 'INVALID_COMMAND',
    });
  });
});
