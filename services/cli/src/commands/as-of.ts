import { asOf, formatMoney } from '@concord/projections';
import type { Target } from '../context.ts';
import { CliError, EXIT, usage } from '../errors.ts';
import type { Moment } from '../moment.ts';

const VIEWS = 'budget [<budget id>] | proposal <id> | members | group <id>';

/** `concord as-of <time|position> …`: a view as it was, computed by replaying the events. */
export async function showAsOf(
  target: Target,
  moment: Moment,
  view: string | undefined,
  id: string | undefined,
  json: boolean,
  out: NodeJS.WriteStream,
) {
  const at = moment;
  const print = (value: unknown, text: () => string) =>
    out.write(json ? `${JSON.stringify(value, null, 2)}\n` : text());
  const notFound = (what: string) => new CliError(`${what} did not exist as of ${describe(at)}`, EXIT.failed);
  switch (view) {
    case 'budget': {
      const budget = await asOf.budget(target.store, at, id);
      if (!budget) throw notFound(id ? `budget ${id}` : 'a budget');
      const money = (amount: number) => formatMoney(amount, budget.currency);
      print(budget, () =>
        [
          `${budget.name} (${budget.budgetId}), ${budget.fiscalPeriod.start} to ${budget.fiscalPeriod.end}, as of ${describe(at)}`,
          `${'line'.padEnd(28)}${'allocated'.padStart(20)}${'committed'.padStart(20)}${'spent'.padStart(20)}${'remaining'.padStart(20)}  steward`,
          ...budget.lines.map(
            (line) =>
              `${`${line.name} (${line.lineId})`.slice(0, 27).padEnd(28)}${money(line.allocated).padStart(20)}${money(line.committed).padStart(20)}${money(line.spent).padStart(20)}${money(line.remaining).padStart(20)}  ${line.stewardGroupId ?? 'coalition'}`,
          ),
          `${'total'.padEnd(28)}${money(budget.totals.allocated).padStart(20)}${money(budget.totals.committed).padStart(20)}${money(budget.totals.spent).padStart(20)}${money(budget.totals.remaining).padStart(20)}`,
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'proposal': {
      if (!id) throw usage(`as-of … proposal needs a proposal id`);
      const proposal = await asOf.proposal(target.store, at, id);
      if (!proposal) throw notFound(`proposal ${id}`);
      print(proposal, () => {
        const tally = proposal.outcome?.tally;
        return [
          `${proposal.title} (${proposal.proposalId}), as of ${describe(at)}`,
          `status: ${proposal.status}, revision ${proposal.revision}, round ${proposal.round}`,
          `deciding body: ${proposal.routing ? (proposal.routing.decidingBody.type === 'coalition' ? 'the full coalition' : `working group ${proposal.routing.decidingBody.groupId}`) : 'not yet opened'}${proposal.routing ? ` (${proposal.routing.reason})` : ''}`,
          proposal.feedbackEndsAt ? `feedback window ends: ${proposal.feedbackEndsAt}` : '',
          proposal.outcome ? `outcome: ${proposal.outcome.status} (${proposal.outcome.reason})` : '',
          tally
            ? `tally: ${tally.consent} consent, ${tally.concerns} concerns, ${tally.standAside} stand aside, ${tally.block} block; ${tally.counted} of ${tally.quorumRequired} needed for quorum (${tally.eligible} eligible)`
            : '',
          proposal.recusals.length
            ? `recused: ${proposal.recusals.map((r) => `${r.organizationId} (${r.reason})`).join(', ')}`
            : '',
          ...proposal.stances.map(
            (stance) =>
              `  ${stance.organizationId.padEnd(12)} ${stance.stance.padEnd(11)}${stance.needsReview ? ' (needs review)' : ''}${stance.reason ? ` — ${stance.reason}` : ''}`,
          ),
          '',
        ]
          .filter((line, i, all) => line !== '' || i === all.length - 1)
          .join('\n');
      });
      return EXIT.ok;
    }
    case 'members': {
      const members = await asOf.members(target.store, at);
      print(members, () =>
        [
          `${members.members.length} organizations as of ${describe(at)}`,
          ...members.members.map(
            (member) =>
              `  ${member.organizationId.padEnd(10)} ${member.status.padEnd(9)} ${member.name} — ${member.representatives.filter((r) => r.status === 'active').length} representative(s)`,
          ),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'group': {
      if (!id) throw usage(`as-of … group needs a working group id`);
      const group = await asOf.workingGroup(target.store, at, id);
      if (!group) throw notFound(`working group ${id}`);
      print(group, () =>
        [
          `${group.name} (${group.groupId}), ${group.status}, as of ${describe(at)}`,
          `mandate: ${group.mandate.summary}`,
          ...group.members.map(
            (m) =>
              `  ${m.organizationId.padEnd(10)} ${String(m.hoursPerMonth).padStart(3)} h/month${m.isLead ? '  lead' : ''}`,
          ),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    default:
      throw usage(view ? `unknown view "${view}"; as-of shows ${VIEWS}` : `as-of needs a view: ${VIEWS}`);
  }
}

function describe(at: Moment): string {
  return 'position' in at ? `position ${at.position}` : at.time.toISOString();
}
