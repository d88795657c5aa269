// The budget over time as a chart: the series of budget totals after every change of a line, and the
// geometry of a step chart for it. Pure functions; the SVG is rendered on the server (BudgetChart).

export interface TotalsPoint {
  at: string;
  allocated: number;
  committed: number;
  spent: number;
}

interface LineChangeLike {
  lineId: string;
  at: string;
  after: { allocated: number; committed: number; spent: number };
}

/** Budget totals after each change, from every line's changes in log order. */
export function totalsOverTime(changes: readonly LineChangeLike[]): TotalsPoint[] {
  const lines = new Map<string, { allocated: number; committed: number; spent: number }>();
  const points: TotalsPoint[] = [];
  for (const change of changes) {
    lines.set(change.lineId, change.after);
    let allocated = 0;
    let committed = 0;
    let spent = 0;
    for (const line of lines.values()) {
      allocated += line.allocated;
      committed += line.committed;
      spent += line.spent;
    }
    const point = { at: change.at, allocated, committed, spent };
    // Changes of one decision share a time: keep the last state at that time.
    if (points.at(-1)?.at === change.at) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}

/** A decision that changed the figures, marked on the chart where it took effect. */
export interface ChartMark {
  at: string;
  href: string;
  label: string;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  series: { key: 'allocated' | 'committed' | 'spent'; path: string }[];
  yTicks: { value: number; y: number }[];
  xTicks: { at: string; x: number }[];
  /** The marks numbered from 1 in the order given, each with its x; their badges sit above the plot. */
  marks: (ChartMark & { number: number; x: number })[];
}

/**
 * A step chart: each value holds until the next change, and the last one until `end`. With marks, the
 * plot leaves room above it for a numbered badge per mark.
 */
export function stepChart(
  points: readonly TotalsPoint[],
  end: string,
  {
    marks = [],
    width = 640,
    height = 240,
  }: { marks?: readonly ChartMark[]; width?: number; height?: number } = {},
): ChartGeometry | null {
  if (points.length === 0) return null;
  // A mark's badge is centred on its change: the plot keeps half a badge clear on each side and above.
  const side = marks.length > 0 ? 24 : 8;
  const plot = { left: side, right: width - side, top: marks.length > 0 ? 48 : 22, bottom: height - 28 };
  const t0 = Date.parse(points[0]!.at);
  const t1 = Math.max(Date.parse(end), Date.parse(points.at(-1)!.at), t0 + 60_000);
  const max = Math.max(1, ...points.map((point) => point.allocated));
  // Headroom above the highest value, so the top line never runs along the frame.
  const top = max * 1.08;
  const x = (at: string) => plot.left + ((Date.parse(at) - t0) / (t1 - t0)) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - (value / top) * (plot.bottom - plot.top);
  const round = (n: number) => Math.round(n * 10) / 10;
  const series = (['allocated', 'committed', 'spent'] as const).map((key) => {
    let path = '';
    points.forEach((point, index) => {
      const px = round(x(point.at));
      const py = round(y(point[key]));
      path += index === 0 ? `M${px},${py}` : `H${px}V${py}`;
    });
    path += `H${round(plot.right)}`;
    return { key, path };
  });
  const yTicks = [0, 0.5, 1].map((share) => ({ value: Math.round(max * share), y: round(y(max * share)) }));
  const endIso = new Date(t1).toISOString();
  const xTicks = [
    { at: points[0]!.at, x: plot.left },
    { at: endIso, x: plot.right },
  ];
  return {
    width,
    height,
    plot,
    series,
    yTicks,
    xTicks,
    marks: marks.map((mark, index) => ({ ...mark, number: index + 1, x: round(x(mark.at)) })),
  };
}

interface DecidedChange {
  at: string;
  /** Null for money an approved expense spent: no decision to mark. */
  proposalId: string | null;
  proposalTitle: string | null;
}

/** One mark per decision, at the first change it made, in the order the changes were made. */
export function decisionMarks(changes: readonly DecidedChange[]): ChartMark[] {
  const marks = new Map<string, ChartMark>();
  for (const change of changes) {
    if (change.proposalId === null || marks.has(change.proposalId)) continue;
    marks.set(change.proposalId, {
      at: change.at,
      href: `/proposals/${change.proposalId}`,
      label: change.proposalTitle ?? change.proposalId,
    });
  }
  return [...marks.values()];
}
