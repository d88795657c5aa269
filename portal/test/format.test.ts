import { describe, expect, test } from 'vitest';
import {
  currencyDigits,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatRelative,
  minorUnitsToDecimal,
} from '../src/lib/format.ts';

// Intl output uses narrow no-break spaces and bidi marks in places, and money and dates come isolated
// (FSI … PDI): compare without them.
const plain = (text: string) =>
  text.replace(/[\u00a0\u202f]/g, ' ').replace(/[\u200e\u200f\u061c\u2068\u2069]/g, '');

describe('money in minor units', () => {
  test('knows each currency’s minor unit', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JOD')).toBe(3);
    expect(currencyDigits('UGX')).toBe(0);
  });

  test('converts minor units to an exact decimal', () => {
    expect(minorUnitsToDecimal(123456, 2)).toBe('1234.56');
    expect(minorUnitsToDecimal(5, 2)).toBe('0.05');
    expect(minorUnitsToDecimal(-5, 2)).toBe('-0.05');
    expect(minorUnitsToDecimal(1234, 0)).toBe('1234');
    expect(minorUnitsToDecimal(123456789012345678901234567890n, 2)).toBe('1234567890123456789012345678.90');
  });

  test('refuses money that is not an integer', () => {
    expect(() => formatMoney(10.5, 'USD', 'en')).toThrow(RangeError);
  });

  test('formats per locale', () => {
    expect(plain(formatMoney(123456, 'USD', 'en'))).toBe('$1,234.56');
    expect(plain(formatMoney(123456, 'EUR', 'fr'))).toBe('1 234,56 €');
    expect(plain(formatMoney(123456, 'USD', 'es'))).toBe('1234,56 US$');
    expect(plain(formatMoney(1500, 'JOD', 'en'))).toBe('JOD 1.500');
    expect(plain(formatMoney(250000, 'UGX', 'en'))).toBe('UGX 250,000');
    expect(plain(formatMoney(-2500, 'USD', 'en', { signDisplay: 'always' }))).toBe('-$25.00');
    expect(plain(formatMoney(2500, 'USD', 'en', { signDisplay: 'always' }))).toBe('+$25.00');
    // Arabic: CLDR's digits for `ar` (Western in current CLDR; Arabic-Indic in older ICU data).
    expect(plain(formatMoney(123456, 'USD', 'ar'))).toMatch(/1,234\.56|١٬٢٣٤٫٥٦/);
  });

  test('stays exact beyond 2^53 minor units', () => {
    expect(plain(formatMoney(9007199254740993n, 'USD', 'en'))).toBe('$90,071,992,547,409.93');
  });
});

describe('numbers, dates and time left', () => {
  test('numbers and percentages', () => {
    expect(plain(formatNumber(1234567, 'fr'))).toBe('1 234 567');
    expect(formatPercent(2 / 3, 'en')).toBe('67%');
    expect(plain(formatPercent(0.5, 'fr'))).toBe('50 %');
  });

  test('dates in the given time zone (UTC by default)', () => {
    const moment = '2026-03-05T22:30:00Z';
    expect(plain(formatDate(moment, 'en'))).toBe('Mar 5, 2026');
    expect(plain(formatDate(moment, 'en', { timeZone: 'Asia/Beirut' }))).toBe('Mar 6, 2026');
    expect(plain(formatDate(moment, 'es'))).toBe('5 mar 2026');
    expect(plain(formatDateTime(moment, 'fr'))).toBe('5 mars 2026, 22:30');
    expect(() => formatDate('not a date', 'en')).toThrow(RangeError);
  });

  test('money and dates are isolated, so they keep their order inside a sentence of the other direction', () => {
    expect(formatMoney(2500, 'USD', 'ar')).toMatch(/^\u2068.*\u2069$/);
    expect(formatDateTime('2026-03-05T22:30:00Z', 'ar')).toMatch(/^\u2068.*\u2069$/);
  });

  test('time left in the largest whole unit', () => {
    const now = '2026-03-01T12:00:00Z';
    expect(formatRelative('2026-03-04T12:00:00Z', now, 'en')).toBe('in 3 days');
    expect(formatRelative('2026-03-01T17:30:00Z', now, 'en')).toBe('in 5 hours');
    expect(formatRelative('2026-03-01T11:58:00Z', now, 'en')).toBe('2 minutes ago');
    expect(formatRelative('2026-03-02T12:00:00Z', now, 'fr')).toBe('demain');
    expect(formatRelative('2026-03-04T12:00:00Z', now, 'es')).toBe('dentro de 3 días');
  });
});
