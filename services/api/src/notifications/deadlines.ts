import type { Transaction } from 'kysely';
import type { ApiTables } from '../db.ts';
import { activeRepresentatives, type Derived } from './handlers.ts';
import type { NotificationTables } from './table.ts';

type Trx = Transaction<ApiTables & NotificationTables>;

const HOUR = 3_600_000;

/**
 * The time-driven notifications at `now`: for every open proposal whose feedback window closes within
 * 48 hours, the representatives of each organization of its deciding body that has no stance (and is not
 * recused) are told "closes in 48 h", or "in 24 h" once it is that close. The cause names the proposal and
 * the window's end, so each is said once per window (a second round is a new window).
 */
export async function closingSoon(trx: Trx, now: Date): Promise<Derived[]> {
  const proposals = await trx
    .selectFrom('api.notify_proposals')
    .selectAll()
    .where('status', '=', 'open')
    .where('feedback_ends_at', '>', now)
    .where('feedback_ends_at', '<=', new Date(now.getTime() + 48 * HOUR))
    .execute();
  const derived: Derived[] = [];
  for (const proposal of proposals) {
    const endsAt = new Date(proposal.feedback_ends_at as Date);
    const spoken = await trx
      .selectFrom('api.notify_stances')
      .select('organization_id')
      .where('proposal_id', '=', proposal.proposal_id)
      .execute();
    const silent = new Set(proposal.member_ids);
    for (const id of proposal.recused_ids) silent.delete(id);
    for (const row of spoken) silent.delete(row.organization_id);
    if (silent.size === 0) continue;
    const kind = endsAt.getTime() - now.getTime() <= 24 * HOUR ? 'feedbackClosing24h' : 'feedbackClosing48h';
    derived.push({
      personIds: await activeRepresentatives(trx, [...silent]),
      kind,
      cause: `${kind}:${proposal.proposal_id}:${endsAt.toISOString()}`,
      subject: {
        proposalId: proposal.proposal_id,
        title: proposal.title,
        feedbackEndsAt: endsAt.toISOString(),
      },
    });
  }
  return derived;
}
