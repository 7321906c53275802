// @ts-check
// The bare-Astro baseline of `npm run bench`: the same number of servers as the real build, as trivial
// pages (one HTML and one JSON per server) with no validation, layout, islands or search.
import { defineConfig } from 'astro/config';

export default defineConfig({
  site: 'http://localhost:4321',
  build: { format: 'directory' },
  // Caches go to the bench's temp folder, not into the repository.
  ...(process.env.BASELINE_CACHE_DIR
    ? { cacheDir: process.env.BASELINE_CACHE_DIR, vite: { cacheDir: `${process.env.BASELINE_CACHE_DIR}/vite` } }
    : {}),
});
