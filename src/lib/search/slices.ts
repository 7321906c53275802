/**
 * Long work cut into slices: a generator that yields wherever it may pause and returns its result.
 * Node and tests run it at once; the page runs it in slices of a few milliseconds, pausing between
 * them, so a 100k-server index build never holds up a keystroke or a frame.
 */
export type Steps<T> = Generator<void, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs `steps`, calling `pause` (e.g. a yield to the browser's event loop) once a slice has run for
 * `sliceMs`. Rejects with `signal.reason` when aborted between slices.
 */
export async function runInSlices<T>(
  steps: Steps<T>,
  pause: () => Promise<void>,
  sliceMs: number,
  signal?: AbortSignal,
): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await pause();
    signal?.throwIfAborted();
    sliceStart = performance.now();
  }
}
