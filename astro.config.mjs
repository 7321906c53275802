// @ts-check
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
import { registryApi } from './src/integrations/registry-api.ts';

export default defineConfig({
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  integrations: [react(), registryApi()],
  trailingSlash: 'ignore',
  build: { format: 'directory' },
});
