import { streamIdFor } from '@concord/domain';
import { describe, expect, it } from 'vitest';
import { StreamStates } from '../src/commands/streams.ts';
import { World } from './support/world.ts';

describe('kept stream states', () => {
  it('share one record of applied commands, each state seeing those up to its own version', async () => {
    const world = await World.create();
    try {
      const streams = new StreamStates({ store: world.t.store });
      const proposalId = await world.openBudgetProposal('repA');
      const streamId = streamIdFor.proposal(proposalId);
      const before = await streams.load('proposal', streamId);
      const { result } = await world.as('repB', {
        type: 'TakeStance',
        proposalId,
        stance: 'consent',
        reason: null,
      });
      const after = await streams.load('proposal', streamId);
      expect(after.version).toBe(result.streamVersion);
      expect(after.commands).toBe(before.commands);
      expect(after.commands.at(result.commandId, after.version)).toEqual({
        streamVersion: result.streamVersion,
        position: result.position,
        events: result.events,
      });
      // The earlier state does not see the command appended after it.
      expect(before.commands.at(result.commandId, before.version)).toBeUndefined();
      // Loaded again from the start, the record is the same.
      const fresh = await new StreamStates({ store: world.t.store }).load('proposal', streamId);
      expect(fresh.commands.at(result.commandId, fresh.version)).toEqual(
        after.commands.at(result.commandId, after.version),
      );
    } finally {
      await world.close();
    }
  });
});
