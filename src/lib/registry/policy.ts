/**
 * `policy.json`: which servers of an upstream registry `npm run sync` takes, and how what it takes is
 * published. Optional; without it every valid upstream server is taken and proposed by pull request.
 * Documented in docs/sync.md; its JSON Schema is published at /api/v1/schema/policy.json.
 *
 * A new version is taken when it is named in `allow`, or when it matches every filter given
 * (`namespaces`, `names`, `packageTypes`, `distribution`); and never when it matches `deny`. An empty
 * list matches nothing, so `"namespaces": []` with an `allow` list takes exactly the servers listed.
 * Names and patterns compare without regard to case (as GitHub logins and DNS names do). The policy
 * decides which new versions come in; status changes of versions already here always apply.
 */
import { z } from 'zod';

/** A namespace (`com.example`, `io.github.acme`); it also covers its sub-namespaces (`com.example.team`). */
const NamespaceSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]$/, 'a namespace such as com.example or io.github.acme');
/** A server name where `*` stands for any run of characters, e.g. `io.github.acme/` followed by `*`. */
const NamePatternSchema = z
  .string()
  .regex(/^[a-zA-Z0-9.*_-]+\/[a-zA-Z0-9.*_-]+$/, 'a server name, where * stands for any characters');
const ServerNameSchema = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]\/[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/,
    'an exact server name such as io.github.acme/weather',
  );

export const PolicySchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().max(2000).optional().describe('What this policy is for, for the people who review it.'),
    namespaces: z
      .array(NamespaceSchema)
      .optional()
      .describe('Take only servers in these namespaces or their sub-namespaces (com.example covers com.example.team).'),
    names: z
      .array(NamePatternSchema)
      .optional()
      .describe('Take only servers whose name matches one of these patterns; * stands for any characters.'),
    packageTypes: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a package registry type such as npm, pypi, oci, nuget, mcpb'))
      .optional()
      .describe(
        'Take only versions whose every package is of one of these registry types (npm, pypi, oci, nuget, mcpb). Versions without packages pass.',
      ),
    distribution: z
      .enum(['any', 'remote-only', 'local-only'])
      .default('any')
      .describe(
        'remote-only: only versions with remotes and no packages; local-only: only versions with packages and no remotes.',
      ),
    allow: z
      .array(ServerNameSchema)
      .optional()
      .describe('Servers taken whatever the filters say (never when denied): an explicit allowlist.'),
    deny: z
      .array(NamePatternSchema)
      .optional()
      .describe('Servers never taken, whatever else matches: an explicit denylist; * stands for any characters.'),
    publish: z
      .enum(['pull-request', 'direct'])
      .default('pull-request')
      .describe(
        'pull-request: the scheduled sync proposes its changes in one pull request for review; direct: it commits them to the default branch.',
      ),
  })
  .meta({ title: 'MCP Index sync policy (registry-data/policy.json)' });
export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});

/** What a policy needs of a version: read defensively from an untrusted upstream record. */
export interface PolicySubject {
  name: string;
  packageTypes: string[];
  hasPackages: boolean;
  hasRemotes: boolean;
}

export function policySubject(server: Readonly<Record<string, unknown>>): PolicySubject | undefined {
  if (typeof server.name !== 'string') return undefined;
  const packages = Array.isArray(server.packages) ? server.packages : [];
  const remotes = Array.isArray(server.remotes) ? server.remotes : [];
  return {
    name: server.name,
    packageTypes: packages.map((pkg) =>
      typeof pkg === 'object' && pkg !== null && typeof (pkg as { registryType?: unknown }).registryType === 'string'
        ? (pkg as { registryType: string }).registryType.toLowerCase()
        : '',
    ),
    hasPackages: packages.length > 0,
    hasRemotes: remotes.length > 0,
  };
}

/** Why the policy does not take a version, or undefined when it does. */
export function policyRefusal(policy: Policy, subject: PolicySubject | undefined): string | undefined {
  if (subject === undefined) return 'it has no name';
  const name = subject.name.toLowerCase();
  if (policy.deny?.some((pattern) => matchesPattern(name, pattern))) return 'it is denied';
  if (policy.allow?.some((allowed) => allowed.toLowerCase() === name)) return undefined;
  const namespace = name.slice(0, Math.max(0, name.indexOf('/')));
  if (policy.namespaces && !policy.namespaces.some((ns) => isWithin(namespace, ns.toLowerCase())))
    return 'its namespace is not taken';
  if (policy.names && !policy.names.some((pattern) => matchesPattern(name, pattern))) return 'its name is not taken';
  if (policy.packageTypes) {
    const allowed = new Set(policy.packageTypes);
    if (subject.packageTypes.some((type) => !allowed.has(type))) return 'it has a package type that is not taken';
  }
  if (policy.distribution === 'remote-only' && (!subject.hasRemotes || subject.hasPackages))
    return 'it is not remote-only';
  if (policy.distribution === 'local-only' && (!subject.hasPackages || subject.hasRemotes))
    return 'it is not local-only';
  return undefined;
}

const isWithin = (namespace: string, parent: string): boolean =>
  namespace === parent || namespace.startsWith(`${parent}.`);

const patterns = new Map<string, RegExp>();
function matchesPattern(lowerName: string, pattern: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) {
    const source = pattern
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.\\+?^${}()|[\]]/g, '\\$&'))
      .join('.*');
    patterns.set(pattern, (regex = new RegExp(`^${source}$`, 'su')));
  }
  return regex.test(lowerName);
}
