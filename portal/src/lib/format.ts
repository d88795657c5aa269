// Locale-aware formatting with the platform's Intl (no library, nothing shipped for it).
// Money and dates come back wrapped in Unicode isolates (FSI … PDI, like <bdi>): inside a sentence in
// the other direction (a date next to an amount in Arabic) their digits and signs can't reorder the
// words around them.
// Pure functions of their arguments: the same call gives the same text on the server and in the
// browser, so server-rendered text and hydrated text agree. Pass the page's locale and, for dates,
// a time zone (UTC until members can choose theirs).

/** Money as the domain stores it: an integer count of the currency's minor unit (cents, piastres…). */
export type MinorUnits = number | bigint;

const isolated = (text: string) => `\u2068${text}\u2069`;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

/** How many minor-unit digits an ISO 4217 currency has (USD 2, JOD 3, JPY 0). */
export function currencyDigits(currency: string): number {
  return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "123456" minor units with 2 digits → "1234.56", exactly (no floating point on the way). */
export function minorUnitsToDecimal(minor: MinorUnits, digits: number): `${number}` {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new RangeError(`Money must be an integer count of minor units, got ${minor}`);
  }
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
}

export interface MoneyOptions {
  /** `always` for changes (+1,000.00 / −250.00); `auto` (default) for balances. */
  signDisplay?: 'auto' | 'always' | 'exceptZero';
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
}

/** `formatMoney(123456, 'USD', 'en')` → "$1,234.56"; in `fr` → "1 234,56 $US"; in `ar` with Arabic digits. */
export function formatMoney(minor: MinorUnits, currency: string, locale: string, options: MoneyOptions = {}) {
  const digits = currencyDigits(currency);
  const formatter = numberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: options.currencyDisplay ?? 'symbol',
    signDisplay: options.signDisplay ?? 'auto',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string keeps amounts beyond 2^53 minor units exact.
  return isolated(formatter.format(minorUnitsToDecimal(minor, digits)));
}

export function formatNumber(value: number | bigint, locale: string, options: Intl.NumberFormatOptions = {}) {
  return numberFormat(locale, options).format(value);
}

/** A ratio (0.6667) as a percentage ("67%"), e.g. a quorum meter. */
export function formatPercent(ratio: number, locale: string, maximumFractionDigits = 0) {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits }).format(ratio);
}

export type DateInput = Date | string | number;

function toDate(value: DateInput): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(value)}`);
  return date;
}

export interface DateOptions {
  timeZone?: string;
  dateStyle?: 'full' | 'long' | 'medium' | 'short';
}

/** `value` as a date, with the time of day (short) when `withTime`, in `options.timeZone` (UTC by default). */
function formatWhen(value: DateInput, locale: string, options: DateOptions, withTime: boolean) {
  const timeZone = options.timeZone ?? 'UTC';
  const dateStyle = options.dateStyle ?? 'medium';
  return isolated(
    cached(
      `${withTime ? 'dt' : 'd'}|${locale}|${timeZone}|${dateStyle}`,
      () =>
        new Intl.DateTimeFormat(locale, { dateStyle, timeStyle: withTime ? 'short' : undefined, timeZone }),
    ).format(toDate(value)),
  );
}

export function formatDate(value: DateInput, locale: string, options: DateOptions = {}) {
  return formatWhen(value, locale, options, false);
}

export function formatDateTime(value: DateInput, locale: string, options: DateOptions = {}) {
  return formatWhen(value, locale, options, true);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * How far a moment is from `now`, in the largest whole unit: "in 3 days", "in 5 hours", "2 minutes ago".
 * For "time left" on a decision; `now` is passed in so server and browser render the same text.
 */
export function formatRelative(value: DateInput, now: DateInput, locale: string) {
  const delta = toDate(value).getTime() - toDate(now).getTime();
  const formatter = cached(
    `r|${locale}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' }),
  );
  for (const [unit, size] of units) {
    if (Math.abs(delta) >= size) return formatter.format(Math.trunc(delta / size), unit);
  }
  return formatter.format(Math.trunc(delta / 60_000), 'minute');
}
