import { meanOf, resultFor } from '@concord/domain';
import { asOf, formatMoney, type PartnershipAsOf } from '@concord/projections';
import type { Target } from '../context.ts';
import { CliError, EXIT, usage } from '../errors.ts';
import type { Output } from '../io.ts';
import type { Moment } from '../moment.ts';

/** The views `as-of` shows, for the usage lines. */
export const VIEWS = 'budget [<budget id>] | proposal <id> | members | group <id> | partnership <id>';
export const VIEW_NAMES = ['budget', 'proposal', 'members', 'group', 'partnership'];

/** `concord as-of <time|position> …`: a view as it was, computed by replaying the events. */
export async function showAsOf(
  target: Target,
  moment: Moment,
  view: string | undefined,
  id: string | undefined,
  json: boolean,
  out: Output,
) {
  const at = moment;
  const print = (value: unknown, text: () => string) =>
    out.write(json ? `${JSON.stringify(value, null, 2)}\n` : text());
  const notFound = (what: string) => new CliError(`${what} did not exist as of ${describe(at)}`, EXIT.failed);
  /** The `what` the id names, as it stood: the view needs an id, and one that did not exist then fails. */
  const named = async <T>(what: string, load: (id: string) => Promise<T | null | undefined>): Promise<T> => {
    if (!id) throw usage(`as-of … ${view} needs a ${what} id`);
    const found = await load(id);
    if (!found) throw notFound(`${what} ${id}`);
    return found;
  };
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
      const proposal = await named('proposal', (proposalId) => asOf.proposal(target.store, at, proposalId));
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
      const group = await named('working group', (groupId) => asOf.workingGroup(target.store, at, groupId));
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
    case 'partnership': {
      const partnership = await named('partnership', (partnershipId) =>
        asOf.partnership(target.store, at, partnershipId),
      );
      print(partnership, () => partnershipText(partnership, describe(at)));
      return EXIT.ok;
    }
    default:
      throw usage(view ? `unknown view "${view}"; as-of shows ${VIEWS}` : `as-of needs a view: ${VIEWS}`);
  }
}

function describe(at: Moment): string {
  return 'position' in at ? `position ${at.position}` : at.time.toISOString();
}

/** A partnership as it stood, in the other views' plain style: never an organization's answer. */
function partnershipText(p: PartnershipAsOf, moment: string): string {
  const { text } = p.agreement;
  const mean = (value: number | null) => (value === null ? '–' : value.toFixed(1));
  const rounds = p.rounds.flatMap((round) => [
    `  ${round.roundId.padEnd(20)} ${round.status.padEnd(7)} opened ${round.openedAt}, ${round.status === 'closed' ? `closed ${round.closedAt}` : `closes ${round.closesAt}`}${round.pooled ? ', pooled' : ''}, ${round.answeredOrganizationIds.length} answered`,
    ...(round.results
      ? round.results.pillars.map(
          ({ pillar }) =>
            `    ${pillar.padEnd(24)}${p.partyIds
              .map((partyId) => {
                const result = resultFor(round.results!, pillar, partyId);
                return `${partyId} ${result && result.sum === null ? 'withheld' : mean(meanOf(result))}`;
              })
              .join('  ')}`,
        )
      : []),
  ]);
  return [
    `${p.title} (${p.partnershipId}), ${p.status}, as of ${moment}`,
    `partners: ${p.partners.map((partner) => `${partner.name} (${partner.organizationId}, ${partner.kind})`).join(', ')}`,
    `agreement version ${p.agreement.version}, set by proposal ${p.agreement.proposalId} on ${p.agreement.since}`,
    `  expectations: ${text.expectations}`,
    `  shared values: ${text.sharedValues}`,
    `  roles: ${text.roles}`,
    `  accountability: ${text.accountability}`,
    `  ways of working: languages ${text.waysOfWorking.languages.join(', ')}; channels: ${text.waysOfWorking.channels}; rhythm: ${text.waysOfWorking.rhythm}`,
    `check-ins every ${p.schedule.checkInEveryMonths} month(s); ${p.schedule.openRoundId ? `round ${p.schedule.openRoundId} open` : `next round from ${p.schedule.nextRoundFrom}`}`,
    `rounds (mean rating per party, 1 to 4): ${p.rounds.length === 0 ? 'none' : ''}`,
    ...rounds,
    `actions: ${p.actions.length === 0 ? 'none' : ''}`,
    ...p.actions.map(
      (action) =>
        `  ${action.actionId.padEnd(20)} ${action.status.padEnd(10)} owner ${action.ownerPartyId}, ${action.pillar}, due ${action.dueDate} — ${action.description}`,
    ),
    `reflections: ${p.reflections.length === 0 ? 'none' : ''}`,
    ...p.reflections.map(
      (reflection) =>
        `  ${reflection.reflectionId.padEnd(20)} ${reflection.about.kind}${reflection.about.reference ? ` (${reflection.about.reference})` : ''} by ${reflection.partyId}, ${reflection.recordedAt}`,
    ),
    '',
  ]
    .map((line) => line.trimEnd())
    .join('\n');
}
