import { type ProposalState, streamIdFor, systemActor } from '@concord/domain';
import type { ReadModels } from '@concord/projections';
import { derivedUuid } from '../commands/ids.ts';
import { PeriodicStep, type ScheduledStepOptions } from './periodic-step.ts';

export interface DecisionSchedulerOptions extends ScheduledStepOptions {
  /** Where the open proposals are listed (none: this instance has no read side, nothing is scheduled). */
  models: () => ReadModels | null;
}

const actor = systemActor('decision-scheduler');
const PAGE = 1000;

/**
 * Takes scheduled decisions: every interval, each open proposal whose scheduled time has come is decided
 * (`DecideProposal` as the system). The outcome is computed by the domain, so deciding gives no power; a
 * refusal (quorum not met yet) leaves the proposal open and it is tried again once a stance changes it.
 * Scheduled proposals are found in the read models (so it works on every event store); whether one is
 * still open and due is read from its stream, so the read models' lag only delays a decision a pass.
 */
export class DecisionScheduler extends PeriodicStep {
  /** The version of each proposal last tried without success: retried only once it changed. */
  readonly #tried = new Map<string, number>();

  constructor(private readonly o: DecisionSchedulerOptions) {
    super({ ...o, failure: 'decision sweep failed' });
  }

  /** One pass over the scheduled proposals. */
  protected async pass(): Promise<void> {
    const models = this.o.models();
    if (!models) return;
    const streamIds: string[] = [];
    for (let before: number | undefined; ; ) {
      const page = await models.proposals({ status: 'open', limit: PAGE, before });
      for (const proposal of page) streamIds.push(streamIdFor.proposal(proposal.proposalId));
      if (page.length < PAGE) break;
      before = page[page.length - 1]!.position;
    }
    const now = this.o.clock();
    for (const streamId of streamIds) {
      const loaded = await this.o.streams.load<ProposalState>('proposal', streamId);
      const proposal = loaded.state;
      if (proposal.status !== 'open' || !proposal.scheduledFor) continue;
      if (Date.parse(proposal.scheduledFor) > now.getTime()) continue;
      if (this.#tried.get(streamId) === loaded.version) continue;
      const outcome = await this.o.bus.execute(
        { type: 'DecideProposal', actor, now: now.toISOString(), proposalId: proposal.proposalId },
        {
          commandId: derivedUuid(
            'scheduled-decision',
            streamIdFor.proposal(proposal.proposalId),
            String(loaded.version),
          ),
          correlationId: derivedUuid('scheduled-decision', streamId),
        },
      );
      if (outcome.ok) this.#tried.delete(streamId);
      else {
        this.#tried.set(streamId, loaded.version);
        this.o.logger.info(
          { proposalId: proposal.proposalId, code: outcome.error.code },
          'scheduled decision not taken yet',
        );
      }
    }
  }
}
