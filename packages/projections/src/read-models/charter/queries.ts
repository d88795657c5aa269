import type { QueryContext } from '../query-context.ts';
import type { CharterView } from './schema.ts';
import type { CharterRow } from './table.ts';
import { charter, charterHistory, charterSops } from './table.ts';

/** The charter read model's part of `ReadModels`. */
export interface CharterQueries {
  charter(): Promise<CharterView | null>;
}

/** The charter with its procedures and history; null before the coalition is founded. */
export function charterQueries({ q, allOf, first }: QueryContext): CharterQueries {
  return {
    async charter() {
      const current = await first<CharterRow>(charter, q.selectFrom('charter').selectAll());
      if (!current) return null;
      const sops = await allOf(charterSops, 'sop_id');
      const history = await allOf(charterHistory, 'global_position');
      return {
        coalitionName: current.coalition_name,
        rules: current.rules,
        sharedValues: current.shared_values,
        foundedAt: current.founded_at,
        updatedAt: current.updated_at,
        sops: sops.map((sop) => ({
          sopId: sop.sop_id,
          title: sop.title,
          text: sop.text,
          version: sop.version,
          status: sop.status,
          adoptedByProposalId: sop.adopted_by_proposal_id,
          adoptedAt: sop.adopted_at,
          retiredAt: sop.retired_at,
        })),
        history: history.map((entry) => ({
          position: entry.global_position,
          change: entry.change,
          sopId: entry.sop_id,
          version: entry.version,
          content: entry.content,
          proposalId: entry.proposal_id,
          at: entry.at,
        })),
      };
    },
  };
}
