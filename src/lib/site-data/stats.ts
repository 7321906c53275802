/**
 * Figures for the stats page, aggregated once from the catalogue. Counts are of listed servers (those with
 * a latest version) and describe their latest version, so a server counts once however many versions it has.
 */
import type { Registry } from '../registry/model.ts';
import { catalogueOf, compare, type ServerSummary } from './catalogue.ts';

export interface Count {
  label: string;
  count: number;
}

export interface GrowthPoint {
  /** A UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Listed servers first published on or before that day. */
  total: number;
}

export interface RegistryStats {
  servers: number;
  versions: number;
  namespaces: number;
  deprecated: number;
  deleted: number;
  withRemote: number;
  withPackage: number;
  /** One point per day on which a server first appeared, cumulative. */
  growth: GrowthPoint[];
  /** New servers per calendar month, `YYYY-MM`, oldest first, months without arrivals included. */
  perMonth: Count[];
  packageTypes: Count[];
  transports: Count[];
  topNamespaces: Count[];
}

export function computeStats(registry: Registry, topNamespaceCount = 12): RegistryStats {
  const { all, listed, byNamespace } = catalogueOf(registry);
  let versions = 0;
  for (const record of registry.servers) versions += record.versions.length;
  const namespaceSizes: Count[] = [];
  for (const [namespace, servers] of byNamespace) {
    const count = servers.filter((server) => server.status !== 'deleted').length;
    if (count > 0) namespaceSizes.push({ label: namespace, count });
  }
  return {
    servers: listed.length,
    versions,
    namespaces: namespaceSizes.length,
    deprecated: listed.filter((server) => server.status === 'deprecated').length,
    deleted: all.length - listed.length,
    withRemote: listed.filter((server) => server.hasRemote).length,
    withPackage: listed.filter((server) => server.packageTypes.length > 0).length,
    growth: growth(listed),
    perMonth: perMonth(listed),
    packageTypes: tally(listed.flatMap((server) => server.packageTypes)),
    transports: tally(listed.flatMap((server) => server.transports)),
    topNamespaces: byCountThenLabel(namespaceSizes).slice(0, topNamespaceCount),
  };
}

function growth(servers: readonly ServerSummary[]): GrowthPoint[] {
  const perDay = tallyMap(servers.map((server) => server.firstPublishedAt.slice(0, 10)));
  let total = 0;
  return [...perDay].sort(([a], [b]) => compare(a, b)).map(([day, count]) => ({ day, total: (total += count) }));
}

function perMonth(servers: readonly ServerSummary[]): Count[] {
  const counts = tallyMap(servers.map((server) => server.firstPublishedAt.slice(0, 7)));
  const months = [...counts.keys()].sort(compare);
  const first = months[0];
  const last = months.at(-1);
  if (first === undefined || last === undefined) return [];
  const out: Count[] = [];
  for (let month = first; month <= last; month = nextMonth(month))
    out.push({ label: month, count: counts.get(month) ?? 0 });
  return out;
}

/** `2025-12` -> `2026-01`. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
}

function tallyMap(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function tally(values: readonly string[]): Count[] {
  return byCountThenLabel([...tallyMap(values)].map(([label, count]) => ({ label, count })));
}

function byCountThenLabel(counts: Count[]): Count[] {
  return counts.sort((a, b) => b.count - a.count || compare(a.label, b.label));
}
