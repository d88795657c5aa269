import { checkInStep, type PartnershipState, systemActor } from '@concord/domain';
import { derivedUuid } from '../commands/ids.ts';
import { PeriodicStep, type ScheduledStepOptions } from './periodic-step.ts';

const actor = systemActor('check-in-schedule');

/**
 * Keeps each partnership's check-in rhythm (ADR 0027): every interval, a round whose closing time passed
 * is closed and, when the agreed months have passed, a new one opens — what `checkInStep` says, as the
 * system. Ids derive from the partnership and the round's number, so instances racing each other name
 * the same round and only one append wins; a refusal is logged and tried again next pass.
 */
export class CheckInSchedule extends PeriodicStep {
  constructor(private readonly o: ScheduledStepOptions) {
    super({ ...o, failure: 'check-in schedule pass failed' });
  }

  /** One pass over every partnership. */
  protected async pass(): Promise<void> {
    const now = this.o.clock().toISOString();
    for (const { state } of await this.o.streams.loadAll<PartnershipState>('partnership', 'partnership-')) {
      const next = checkInStep(state, now);
      if (!next || state.status !== 'active') continue;
      const { partnershipId } = state;
      const roundId =
        next.step === 'close'
          ? next.roundId
          : derivedUuid('scheduled-round', partnershipId, String(next.round));
      const outcome = await this.o.bus.execute(
        next.step === 'close'
          ? { type: 'CloseCheckInRound', actor, now, partnershipId, roundId }
          : {
              type: 'OpenCheckInRound',
              actor,
              now,
              partnershipId,
              roundId,
              closesAt: next.closesAt,
              pooled: true,
            },
        {
          commandId: derivedUuid('check-in-schedule', next.step, partnershipId, roundId),
          correlationId: derivedUuid('check-in-schedule', partnershipId),
        },
      );
      if (!outcome.ok) {
        this.o.logger.info(
          { partnershipId, roundId, code: outcome.error.code },
          'scheduled check-in step refused',
        );
      }
    }
  }
}
