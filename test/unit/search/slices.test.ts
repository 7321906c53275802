import { describe, expect, test } from 'vitest';
import { runAtOnce, runInSlices } from '../../../src/lib/search/slices.ts';
import type { Steps } from '../../../src/lib/search/slices.ts';

function* sumTo(limit: number, log: string[]): Steps<number> {
  let sum = 0;
  for (let at = 1; at <= limit; at++) {
    sum += at;
    log.push(`step ${at}`);
    yield;
  }
  return sum;
}

describe('work in slices', () => {
  test('at once: every step runs and the result comes back', () => {
    const log: string[] = [];
    expect(runAtOnce(sumTo(4, log))).toBe(10);
    expect(log).toEqual(['step 1', 'step 2', 'step 3', 'step 4']);
  });

  test('in slices: pauses between slices let other work run, and the result is the same', async () => {
    const log: string[] = [];
    const pause = async () => {
      log.push('pause');
    };
    expect(await runInSlices(sumTo(3, log), pause, 0)).toBe(6);
    expect(log).toEqual(['step 1', 'pause', 'step 2', 'pause', 'step 3', 'pause']);
  });

  test('a slice longer than the work never pauses', async () => {
    const log: string[] = [];
    const pause = async () => {
      log.push('pause');
    };
    expect(await runInSlices(sumTo(3, log), pause, 60_000)).toBe(6);
    expect(log).not.toContain('pause');
  });

  test('aborted between slices: stops and rejects with the reason', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    const pause = async () => abort.abort(new Error('left the page'));
    await expect(runInSlices(sumTo(100, log), pause, 0, abort.signal)).rejects.toThrow('left the page');
    expect(log).toEqual(['step 1']);
  });
});
