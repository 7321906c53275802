/**
 * The whole install story of one server: for every package or remote, the launch spec, the command that
 * starts a local HTTP package, and each client's configs and links. This is what the install panel renders.
 */
import type { ServerJson } from '../schema/server.ts';
import { CLIENTS, configKey, startCommand, type ClientGuide, type ServerNames, type Snippet } from './clients.ts';
import { jsonText } from './encode.ts';
import { installTargets, type InstallTarget } from './launch.ts';

export interface InstallGuide {
  target: InstallTarget;
  /** For a local package that serves HTTP: how to start it before connecting a client. */
  start?: Snippet;
  clients: ClientGuide[];
}

export function serverNames(server: ServerJson): ServerNames {
  const key = configKey(server.name);
  return { key, title: server.title?.trim() || key, description: server.description };
}

export function installGuides(server: ServerJson): InstallGuide[] {
  const names = serverNames(server);
  return installTargets(server).map((target) => {
    const start = target.spec.kind === 'http' || target.spec.kind === 'sse' ? startCommand(target.spec) : undefined;
    return { target, ...(start ? { start } : {}), clients: CLIENTS.map((client) => client(target.spec, names)) };
  });
}

/** The publisher's manifest as JSON, for clients and tools that read server.json directly. */
export function serverJsonSnippet(server: ServerJson): Snippet {
  return { title: 'server.json', language: 'json', text: jsonText(server), value: server, where: 'server.json' };
}
