import type { APIRoute } from 'astro';
import { baselineServers, type BaselineServer } from '../../../servers.ts';

export function getStaticPaths() {
  return baselineServers().map((server) => ({
    params: { namespace: server.namespace, name: server.name },
    props: { server },
  }));
}

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify((props as { server: BaselineServer }).server.manifest));
