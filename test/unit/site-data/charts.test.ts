import { describe, expect, test } from 'vitest';
import { bars, niceMaximum, timeSeriesChart } from '../../../src/lib/site-data/charts.ts';

const box = { width: 400, height: 200, margin: { top: 10, right: 10, bottom: 30, left: 40 } };

describe('timeSeriesChart', () => {
  test('draws a step line from the axis through every total, ending one day after the last point', () => {
    const chart = timeSeriesChart(
      [
        { day: '2025-01-01', total: 1 },
        { day: '2025-01-03', total: 4 },
      ],
      box,
    );
    // Three days span the plot (x 40..390): 3 Jan is two thirds along, the end at the right edge. y: 0..4 on 170..10.
    expect(chart.line).toBe('M40,170V130H273.33V10H390');
    expect(chart.area).toBe('M40,170V130H273.33V10H390V170Z');
    expect(chart.yTicks.map((tick) => tick.label)).toEqual(['0', '1', '2', '3', '4']);
    expect(chart.xTicks.length).toBeGreaterThan(0);
  });

  test('a long span gets month ticks, labelled with the year at January', () => {
    const chart = timeSeriesChart(
      [
        { day: '2025-09-10', total: 10 },
        { day: '2026-03-02', total: 1200 },
      ],
      box,
    );
    expect(chart.xTicks.map((tick) => tick.label)).toEqual(['Oct 2025', 'Nov', 'Dec', 'Jan 2026', 'Feb', 'Mar']);
    expect(chart.yTicks.at(-1)?.label).toBe('1,200');
    const positions = chart.xTicks.map((tick) => tick.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const position of positions) expect(position).toBeGreaterThanOrEqual(box.margin.left);
  });

  test('no points, no drawing', () => {
    expect(timeSeriesChart([], box)).toMatchObject({ line: '', area: '', xTicks: [], yTicks: [] });
  });
});

describe('niceMaximum', () => {
  test.each([
    [0, 4],
    [3, 4],
    [11, 12],
    [21, 24],
    [99, 100],
    [1108, 1200],
    [24_247, 30_000],
  ])('%d -> %d', (value, expected) => {
    expect(niceMaximum(value)).toBe(expected);
    expect(niceMaximum(value) % 4).toBe(0);
  });
});

describe('bars', () => {
  test('scales to the largest count', () => {
    expect(
      bars([
        { label: 'npm', count: 8 },
        { label: 'pypi', count: 2 },
        { label: 'none', count: 0 },
      ]),
    ).toEqual([
      { label: 'npm', count: 8, percent: 100 },
      { label: 'pypi', count: 2, percent: 25 },
      { label: 'none', count: 0, percent: 0 },
    ]);
  });
});
