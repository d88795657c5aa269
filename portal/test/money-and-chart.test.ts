import { describe, expect, test } from 'vitest';
import { decisionMarks, stepChart, totalsOverTime } from '../src/lib/chart.ts';
import { parseAmount } from '../src/lib/money.ts';

describe('amounts as people type them', () => {
  test('whole amounts and decimals, in minor units, exactly', () => {
    expect(parseAmount('1250.50', 'USD', 'en')).toBe(125_050);
    expect(parseAmount('0.1', 'USD', 'en')).toBe(10);
    expect(parseAmount('40000', 'USD', 'en')).toBe(4_000_000);
    expect(parseAmount('1.500', 'JOD', 'en')).toBe(1_500);
    expect(parseAmount('250000', 'UGX', 'en')).toBe(250_000);
  });

  test('group separators by position, decimal separator by locale', () => {
    expect(parseAmount('2,500', 'USD', 'en')).toBe(250_000);
    expect(parseAmount('1,234,567.89', 'USD', 'en')).toBe(123_456_789);
    expect(parseAmount('1.000', 'USD', 'es')).toBe(100_000);
    expect(parseAmount('1.234,5', 'EUR', 'es')).toBe(123_450);
    expect(parseAmount('1,5', 'EUR', 'fr')).toBe(150);
    expect(parseAmount('1 250,50', 'EUR', 'fr')).toBe(125_050);
    expect(parseAmount('1\u202f250,50', 'EUR', 'fr')).toBe(125_050);
  });

  test('Arabic digits and separators', () => {
    expect(parseAmount('١٬٢٥٠٫٥٠', 'USD', 'ar')).toBe(125_050);
    expect(parseAmount('٣٠٠', 'USD', 'ar')).toBe(30_000);
  });

  test('signs and currency marks', () => {
    expect(parseAmount('-250', 'USD', 'en')).toBe(-25_000);
    expect(parseAmount('\u2212250', 'USD', 'en')).toBe(-25_000);
    expect(parseAmount('+250', 'USD', 'en')).toBe(25_000);
    expect(parseAmount('$250', 'USD', 'en')).toBe(25_000);
    expect(parseAmount('USD 250', 'USD', 'en')).toBe(25_000);
  });

  test('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '12a', '1.2.3', '1.234', '0.001', '--5', '99999999999999999999']) {
      // "1.234" in English is an amount with three decimals: refused for USD (two).
      expect(parseAmount(text, 'USD', 'en'), text).toBeNull();
    }
  });
});

describe('the budget over time', () => {
  const change = (lineId: string, at: string, allocated: number, committed = 0, spent = 0) => ({
    lineId,
    at,
    after: { allocated, committed, spent },
  });

  test('totals after each change, one point per decision time', () => {
    const points = totalsOverTime([
      change('a', '2026-01-01T00:00:00Z', 1000),
      change('b', '2026-01-01T00:00:00Z', 500),
      change('a', '2026-02-01T00:00:00Z', 1200),
      change('b', '2026-03-01T00:00:00Z', 500, 100, 50),
    ]);
    expect(points).toEqual([
      { at: '2026-01-01T00:00:00Z', allocated: 1500, committed: 0, spent: 0 },
      { at: '2026-02-01T00:00:00Z', allocated: 1700, committed: 0, spent: 0 },
      { at: '2026-03-01T00:00:00Z', allocated: 1700, committed: 100, spent: 50 },
    ]);
  });

  test('a step chart that holds each value until the next change and up to the end', () => {
    const chart = stepChart(
      [
        { at: '2026-01-01T00:00:00Z', allocated: 100, committed: 0, spent: 0 },
        { at: '2026-01-11T00:00:00Z', allocated: 200, committed: 50, spent: 0 },
      ],
      '2026-01-21T00:00:00Z',
    );
    expect(chart).not.toBeNull();
    const allocated = chart!.series.find((series) => series.key === 'allocated')!.path;
    // Starts at the left edge, steps half-way across, runs to the right edge.
    expect(allocated).toMatch(/^M8,[\d.]+H320V[\d.]+H632$/);
    expect(chart!.yTicks.map((tick) => tick.value)).toEqual([0, 100, 200]);
    expect(stepChart([], '2026-01-01T00:00:00Z')).toBeNull();
  });

  test('one mark per decision, numbered in the order its first change was made, where it took effect', () => {
    const decided = (at: string, proposalId: string, proposalTitle: string | null) => ({
      at,
      proposalId,
      proposalTitle,
    });
    const marks = decisionMarks([
      decided('2026-01-01T00:00:00Z', 'p-open', 'Open the 2026 budget'),
      decided('2026-01-01T00:00:00Z', 'p-open', 'Open the 2026 budget'),
      decided('2026-01-11T00:00:00Z', 'p-move', null),
    ]);
    expect(marks).toEqual([
      { at: '2026-01-01T00:00:00Z', href: '/proposals/p-open', label: 'Open the 2026 budget' },
      { at: '2026-01-11T00:00:00Z', href: '/proposals/p-move', label: 'p-move' },
    ]);
    const chart = stepChart(
      [
        { at: '2026-01-01T00:00:00Z', allocated: 100, committed: 0, spent: 0 },
        { at: '2026-01-11T00:00:00Z', allocated: 200, committed: 50, spent: 0 },
      ],
      '2026-01-21T00:00:00Z',
      { marks },
    );
    expect(chart!.marks.map(({ number, x }) => ({ number, x }))).toEqual([
      { number: 1, x: 24 },
      { number: 2, x: 320 },
    ]);
    // The badges need room above the plot; a chart without marks keeps its narrow top margin.
    const unmarked = stepChart(
      [{ at: '2026-01-01T00:00:00Z', allocated: 1, committed: 0, spent: 0 }],
      '2026-01-02T00:00:00Z',
    );
    expect(chart!.plot.top).toBeGreaterThan(unmarked!.plot.top);
  });
});
