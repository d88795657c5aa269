import { randomUUID } from 'node:crypto';
import { type CommandDraft, type MemberState, streamIdFor } from '@concord/domain';
import { describe, expect, it } from 'vitest';
import { Facts } from '../src/commands/context.ts';
import { CommandBus } from '../src/commands/handle.ts';
import { StreamStates } from '../src/commands/streams.ts';
import { ORG, World } from './support/world.ts';

const meta = () => ({ commandId: randomUUID(), correlationId: 'test' });

/**
 * A second command bus on the same store stands for another process: it keeps the states it read, and
 * the world's own bus moves them on behind its back. Its first attempt decides on those kept states (ADR
 * 0043), so what it answers must still be what the streams say now.
 */
describe('facts from kept states', () => {
  it('an append whose fact moved on is decided again, and a refusal on a fact that moved is not given', async () => {
    const world = await World.create();
    try {
      const { store } = world.t;
      const streams = new StreamStates({ store });
      const other = new CommandBus({
        store,
        streams,
        facts: new Facts(streams),
        metrics: world.app.metrics,
        logger: world.app.log,
      });
      const grantCallId = await world.grantCall();
      // The facilitator enters applications of outsiders only: whether the applicant is a member is a fact.
      const application = (applicantOrganizationId: string, callId = grantCallId): CommandDraft => ({
        type: 'SubmitGrantApplication',
        actor: world.actor('facilitator'),
        now: world.now(),
        grantCallId: callId,
        applicationId: world.id('application'),
        applicantOrganizationId,
        applicantName: 'Applicant',
        amountRequested: 500,
        summary: 'Project',
      });
      const member = (organizationId: string) =>
        streams.kept<MemberState>(streamIdFor.member(organizationId))?.state.status;

      // An outsider's application is entered; `other` keeps that it is no member.
      const outsider = 'org-outsider';
      expect((await other.execute(application(outsider), meta())).ok).toBe(true);
      expect(member(outsider)).toBe('unknown');
      // It is admitted, through the world's bus.
      await world.as(world.system(), {
        type: 'AdmitMember',
        organizationId: outsider,
        name: 'Once outside',
        basis: { type: 'decision', execution: world.execution('admission') },
      });
      expect(member(outsider)).toBe('unknown');
      // Decided on the kept state it would be entered (in another call: one application per organization
      // and call); the append finds the member stream moved, and decided again on it as it is, it is refused.
      const late = await other.execute(application(outsider, await world.grantCall()), meta());
      expect(late).toMatchObject({ ok: false, error: { code: 'FACILITATOR_NOT_ALLOWED' } });
      expect(member(outsider)).toBe('member');

      // The other way: `other` keeps N as a member, so the facilitator may not enter N's application.
      const first = await other.execute(application(ORG.N), meta());
      expect(first).toMatchObject({ ok: false, error: { code: 'FACILITATOR_NOT_ALLOWED' } });
      await world.as(world.system(), {
        type: 'RecordMemberDeparture',
        organizationId: ORG.N,
        reason: 'Left',
        execution: world.execution('departure'),
      });
      expect(member(ORG.N)).toBe('member');
      // The refusal judged on the kept state is not given: the versions are checked first, and the command
      // decided again.
      const entered = await other.execute(application(ORG.N), meta());
      expect(entered.ok).toBe(true);
      expect(member(ORG.N)).toBe('departed');

      const applications = (await store.readStream(streamIdFor.grantCall(grantCallId))).filter(
        (event) => event.type === 'GrantApplicationSubmitted',
      );
      expect(
        applications.map(
          (event) => (event.data as { applicantOrganizationId: string }).applicantOrganizationId,
        ),
      ).toEqual([outsider, ORG.N]);
    } finally {
      await world.close();
    }
  });
});
