import { iso, type View } from '../view.ts';
import {
  type CharterHistoryRow,
  type CharterRow,
  type CharterSopRow,
  charter,
  charterHistory,
  charterSops,
} from './table.ts';

const CHARTER = 'charter';

/** The charter: current decision rules, shared values and SOPs, and every change with its decision. */
export const charterView: View = {
  name: 'charter',
  types: ['CoalitionFounded', 'DecisionRulesChanged', 'SharedValuesRevised', 'SopAdopted', 'SopRetired'],
  needs({ event }, uow) {
    switch (event.type) {
      case 'DecisionRulesChanged':
      case 'SharedValuesRevised':
      case 'SopAdopted':
      case 'SopRetired':
        uow.want(charter, CHARTER);
        if (event.type === 'SopRetired') uow.want(charterSops, event.data.sopId);
        break;
    }
  },
  apply({ event, recorded }, { uow, change }) {
    function history(row: Omit<CharterHistoryRow, 'global_position' | 'at'>) {
      uow.append<CharterHistoryRow>(charterHistory, {
        global_position: recorded.globalPosition,
        at: iso((event.data as { at: string }).at),
        ...row,
      });
    }
    if (event.type === 'CoalitionFounded') {
      const { coalitionName, rules, sharedValues, sops } = event.data;
      const at = iso(event.data.at);
      uow.put<CharterRow>(charter, {
        charter_id: CHARTER,
        coalition_name: coalitionName,
        rules,
        shared_values: sharedValues,
        founded_at: at,
        updated_at: at,
        changes: 0,
      });
      for (const sop of sops) {
        uow.put<CharterSopRow>(charterSops, {
          sop_id: sop.sopId,
          title: sop.title,
          text: sop.text,
          version: 1,
          status: 'active',
          adopted_by_proposal_id: null,
          adopted_at: at,
          retired_at: null,
        });
      }
      history({
        change: 'founded',
        sop_id: null,
        version: null,
        content: { rules, sharedValues, sops },
        proposal_id: null,
      });
      change({ view: 'charter', id: CHARTER });
      return;
    }
    if (
      event.type !== 'DecisionRulesChanged' &&
      event.type !== 'SharedValuesRevised' &&
      event.type !== 'SopAdopted' &&
      event.type !== 'SopRetired'
    ) {
      return;
    }
    const current = uow.get<CharterRow>(charter, CHARTER);
    if (!current)
      throw new Error(`${event.type} at ${recorded.globalPosition}: the coalition is not founded`);
    const at = iso(event.data.at);
    const proposalId = event.data.execution.proposalId;
    const next: CharterRow = { ...current, updated_at: at, changes: current.changes + 1 };
    switch (event.type) {
      case 'DecisionRulesChanged':
        next.rules = event.data.rules;
        history({
          change: 'rulesChanged',
          sop_id: null,
          version: null,
          content: event.data.rules,
          proposal_id: proposalId,
        });
        break;
      case 'SharedValuesRevised':
        next.shared_values = event.data.sharedValues;
        history({
          change: 'valuesRevised',
          sop_id: null,
          version: null,
          content: event.data.sharedValues,
          proposal_id: proposalId,
        });
        break;
      case 'SopAdopted': {
        const { sopId, title, text, version } = event.data;
        uow.put<CharterSopRow>(charterSops, {
          sop_id: sopId,
          title,
          text,
          version,
          status: 'active',
          adopted_by_proposal_id: proposalId,
          adopted_at: at,
          retired_at: null,
        });
        history({
          change: 'sopAdopted',
          sop_id: sopId,
          version,
          content: { title, text },
          proposal_id: proposalId,
        });
        break;
      }
      case 'SopRetired': {
        const sop = uow.get<CharterSopRow>(charterSops, event.data.sopId);
        if (sop) uow.put<CharterSopRow>(charterSops, { ...sop, status: 'retired', retired_at: at });
        history({
          change: 'sopRetired',
          sop_id: event.data.sopId,
          version: sop?.version ?? null,
          content: null,
          proposal_id: proposalId,
        });
        break;
      }
    }
    uow.put(charter, next);
    change({ view: 'charter', id: CHARTER });
  },
};
