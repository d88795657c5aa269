import { formatMoney, formatPercent } from '$lib/format';
import { m } from '$lib/paraglide/messages.js';

/** A mandate's limit in words: an amount, a share of the line, both, or none. */
export function limitLabel(
  limit: {
    maxAmount: { amount: number; currency: string } | null;
    maxShareBasisPoints: number | null;
  },
  locale: string,
): string {
  const parts = [
    limit.maxAmount ? formatMoney(limit.maxAmount.amount, limit.maxAmount.currency, locale) : null,
    limit.maxShareBasisPoints !== null
      ? m.mandate_share({ share: formatPercent(limit.maxShareBasisPoints / 10_000, locale, 2) })
      : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(' · ') : m.mandate_no_limit();
}
