// Amounts people type ("1,250.50", "1 250,5", "-300", "١٬٢٥٠٫٥٠") into integer minor units, exactly.
import { currencyDigits } from './format';

const arabicIndic = /[\u0660-\u0669]/g;
const easternArabicIndic = /[\u06f0-\u06f9]/g;

function decimalSeparatorOf(locale: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal');
  return part?.value ?? '.';
}

/**
 * Parses an amount in the currency's major unit as typed in `locale` and returns minor units (cents),
 * or null when it isn't an amount (letters, too many decimals, beyond safe integers). A leading minus
 * makes it negative (allocation decreases). Group separators are recognised by position, so "1,000"
 * in English and "1.000" in Spanish are a thousand, "1,5" in French one and a half.
 */
export function parseAmount(input: string, currency: string, locale: string): number | null {
  const digits = currencyDigits(currency);
  let text = input
    .normalize('NFKC')
    .replace(arabicIndic, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(easternArabicIndic, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\s\u00a0\u202f\u200e\u200f\u061c']/g, '')
    .replace(/\u066b/g, '_') // Arabic decimal separator
    .replace(/\u066c/g, ''); // Arabic thousands separator
  text = text.replace(new RegExp(`^${currency}|${currency}$`, 'i'), '').replace(/^[$€£]|[$€£]$/g, '');
  let negative = false;
  if (/^[-\u2212]/.test(text)) {
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  if (!/^[0-9.,_]+$/.test(text) || !/[0-9]/.test(text)) return null;

  let decimal: string | null = null;
  if (text.includes('_')) decimal = '_';
  else {
    const lastDot = text.lastIndexOf('.');
    const lastComma = text.lastIndexOf(',');
    if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? '.' : ',';
    else {
      const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
      if (separator && text.split(separator).length === 2) {
        const after = text.length - text.lastIndexOf(separator) - 1;
        decimal = separator === decimalSeparatorOf(locale) || after !== 3 ? separator : null;
      }
    }
  }
  const [whole = '', fraction = '', ...rest] = decimal ? text.split(decimal) : [text];
  if (rest.length > 0) return null;
  // Group separators only between groups of three digits ("1,234,567"), never "1.2.3".
  if (/[.,]/.test(whole) && !/^\d{1,3}([.,]\d{3})+$/.test(whole)) return null;
  const wholeDigits = whole.replace(/[.,]/g, '');
  if (/[.,_]/.test(fraction) || fraction.length > digits) return null;
  if (!wholeDigits && !fraction) return null;
  const minor =
    BigInt(wholeDigits || '0') * 10n ** BigInt(digits) + BigInt((fraction || '').padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(negative ? -minor : minor);
}
