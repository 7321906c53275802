/**
 * Chart geometry for build-time SVG: numbers in, SVG path data and tick positions out. No markup here;
 * the components decide how it looks (colours come from CSS custom properties, so both themes work).
 */
import { MONTHS, formatCount } from './format.ts';

export interface Box {
  width: number;
  height: number;
  /** Room for axis labels: top, right, bottom, left. */
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface Tick {
  position: number;
  label: string;
}

export interface TimeSeriesChart {
  /** The line through every point (a step line: totals only change on the days shown). */
  line: string;
  /** The same line closed down to the x axis, for a filled area. */
  area: string;
  xTicks: Tick[];
  yTicks: Tick[];
  /** The plot's x range and y of the axis, for drawing the axes. */
  plot: { left: number; right: number; top: number; bottom: number };
}

const DAY_MS = 86_400_000;

/** A cumulative series over days (`YYYY-MM-DD`), drawn as a step line on a time axis. */
export function timeSeriesChart(points: ReadonlyArray<{ day: string; total: number }>, box: Box): TimeSeriesChart {
  const plot = {
    left: box.margin.left,
    right: box.width - box.margin.right,
    top: box.margin.top,
    bottom: box.height - box.margin.bottom,
  };
  if (points.length === 0) return { line: '', area: '', xTicks: [], yTicks: [], plot };
  const times = points.map((point) => Date.parse(`${point.day}T00:00:00Z`));
  const start = times[0]!;
  // One extra day so the last step has width, and a single point still spans the axis.
  const end = Math.max(times.at(-1)! + DAY_MS, start + DAY_MS);
  const max = niceMaximum(points.at(-1)!.total);
  const x = (time: number): number => round(plot.left + ((time - start) / (end - start)) * (plot.right - plot.left));
  const y = (value: number): number => round(plot.bottom - (value / max) * (plot.bottom - plot.top));

  const segments: string[] = [`M${x(start)},${y(0)}`];
  points.forEach((point, index) => {
    segments.push(`V${y(point.total)}`, `H${x(times[index + 1] ?? end)}`);
  });
  const line = segments.join('');
  const area = `${line}V${y(0)}Z`;
  return { line, area, xTicks: timeTicks(start, end, x), yTicks: valueTicks(max, y), plot };
}

/**
 * Month starts inside [start, end], thinned to at most ~6 labels (January and the first carry the
 * year); a span too short for three month starts gets day ticks instead.
 */
function timeTicks(start: number, end: number, x: (time: number) => number): Tick[] {
  const months: number[] = [];
  const cursor = new Date(start);
  cursor.setUTCDate(1);
  cursor.setUTCHours(0, 0, 0, 0);
  if (cursor.getTime() < start) cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  while (cursor.getTime() <= end && months.length < 1200) {
    months.push(cursor.getTime());
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  if (months.length < 3) {
    const days = Math.round((end - start) / DAY_MS);
    const step = Math.max(1, Math.ceil(days / 5));
    const ticks: Tick[] = [];
    for (let day = 0; day <= days; day += step) {
      const date = new Date(start + day * DAY_MS);
      ticks.push({ position: x(date.getTime()), label: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}` });
    }
    return ticks;
  }
  const step = Math.ceil(months.length / 6);
  return months
    .filter((_, index) => index % step === 0)
    .map((time) => {
      const date = new Date(time);
      const month = MONTHS[date.getUTCMonth()]!;
      const label = date.getUTCMonth() === 0 || time === months[0] ? `${month} ${date.getUTCFullYear()}` : month;
      return { position: x(time), label };
    });
}

function valueTicks(max: number, y: (value: number) => number): Tick[] {
  const ticks: Tick[] = [];
  for (let index = 0; index <= 4; index++) {
    const value = (max / 4) * index;
    ticks.push({ position: y(value), label: formatCount(value) });
  }
  return ticks;
}

/** The smallest round number at or above value that splits into 4 whole ticks: 12, 20, 40, 1,000... */
export function niceMaximum(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10]) {
    const candidate = Math.round(factor * power * 100) / 100;
    if (candidate >= value && Number.isInteger(candidate / 4)) return candidate;
  }
  return 10 * power;
}

export interface Bar {
  label: string;
  count: number;
  /** Bar length as a percentage of the longest bar, for a `viewBox="0 0 100 1"` bar. */
  percent: number;
}

/** Horizontal bars scaled to the largest count. */
export function bars(counts: ReadonlyArray<{ label: string; count: number }>): Bar[] {
  const max = Math.max(1, ...counts.map((item) => item.count));
  return counts.map((item) => ({ ...item, percent: round((item.count / max) * 100) }));
}

const round = (value: number): number => Math.round(value * 100) / 100;
