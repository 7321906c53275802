/**
 * Probe results: what the registry saw when it spoke MCP to a server. Registry-managed data, written
 * only by `npm run probe` (the bot) and maintainers:
 *   servers/<namespace>/<name>/probe.json   one per probed server, rewritten only when something changed
 *   probe-run.json                           the last run: when, with which limits, outcomes in total
 * No time of the last check lives in probe.json (it is in probe-run.json), so a nightly run that finds
 * nothing new leaves the server files, their diff and their cached pages alone.
 * The published JSON Schemas (docs/probe.schema.json, docs/probe-run.schema.json) are generated from these.
 */
import { z } from 'zod';

/** probe.json and probe-run.json may be larger than a manifest (thousands of tools). */
export const MAX_PROBE_FILE_BYTES = 16 * 1024 * 1024;

const timestamp = z.iso.datetime({ offset: true });
const shortText = (max: number) => z.string().max(max);
const serverName = z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
/** A JSON object from a server, kept as parsed (never copied key by key, so `__proto__` stays an own key). */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be a JSON object',
);

export const PROBE_OUTCOMES = [
  'ok',
  'auth-required',
  'not-mcp',
  'unreachable',
  'timeout',
  'error',
  'needs-config',
] as const;
export const ProbeOutcomeSchema = z.enum(PROBE_OUTCOMES);
export type ProbeOutcome = z.infer<typeof ProbeOutcomeSchema>;

export const ToolAnnotationsSchema = z.strictObject({
  title: shortText(200).optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

export const ProbedToolSchema = z.strictObject({
  name: shortText(200),
  title: shortText(200).optional(),
  description: z.string().optional().describe('As the server reported it, cut to the probe limit.'),
  descriptionTruncated: z.literal(true).optional(),
  annotations: ToolAnnotationsSchema.optional().describe('Hints the server claims; not verified.'),
  inputSchema: jsonObject.optional(),
  outputSchema: jsonObject.optional(),
  schemaOmitted: z.literal(true).optional().describe('The schemas were over the size limit and are not kept.'),
  fingerprint: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .describe('Digest of the name, title, description, annotations and schemas, in full, as canonical JSON.'),
  since: timestamp.describe('When this fingerprint was first seen.'),
});
export type ProbedTool = z.infer<typeof ProbedToolSchema>;

export const OAuthResourceSchema = z.strictObject({
  resource: shortText(2000).optional(),
  resourceMatches: z.boolean().optional().describe('Whether `resource` names the URL that was probed (RFC 9728).'),
  authorizationServers: z.array(shortText(2000)).max(10).optional(),
  scopesSupported: z.array(shortText(200)).max(50).optional(),
  resourceName: shortText(200).optional(),
  resourceDocumentation: shortText(2000).optional(),
});

export const AuthChallengeSchema = z.strictObject({
  status: z.union([z.literal(401), z.literal(403)]),
  scheme: shortText(40).optional().describe('The WWW-Authenticate scheme, lower case (e.g. bearer).'),
  metadataUrl: shortText(2000).optional().describe('Where the OAuth protected-resource metadata was read.'),
  metadata: OAuthResourceSchema.optional(),
});

export const ServerInfoSchema = z.strictObject({
  name: shortText(200),
  version: shortText(200),
  title: shortText(200).optional(),
});

export const ProbedRemoteSchema = z.strictObject({
  type: z.enum(['streamable-http', 'sse', 'stdio']),
  url: shortText(2000).optional().describe('The remote URL as in the manifest (remotes).'),
  package: shortText(500).optional().describe('registryType:identifier@version (stdio probes of a package).'),
  outcome: ProbeOutcomeSchema,
  reason: shortText(300).optional().describe('Why the outcome is not ok, or what stopped the listing early.'),
  protocolVersion: shortText(40).optional().describe('The protocol version the server answered.'),
  serverInfo: ServerInfoSchema.optional(),
  auth: AuthChallengeSchema.optional(),
  tools: z.int().nonnegative().optional(),
  prompts: z.int().nonnegative().optional(),
  resources: z.int().nonnegative().optional(),
  since: timestamp.describe('When this remote last changed (outcome, reason, protocol, server info, counts).'),
});
export type ProbedRemote = z.infer<typeof ProbedRemoteSchema>;

export const ToolChangeSchema = z.strictObject({
  at: timestamp,
  version: shortText(255).describe('The server version when the change was seen.'),
  previousVersion: shortText(255),
  silent: z.boolean().describe('True when the tools changed while the version did not.'),
  added: z.array(shortText(200)),
  removed: z.array(shortText(200)),
  changed: z.array(shortText(200)).describe('Tools whose fingerprint changed.'),
});
export type ToolChange = z.infer<typeof ToolChangeSchema>;

export const MAX_TOOL_CHANGES = 20;

export const ProbeFileSchema = z
  .strictObject({
    version: shortText(255).describe('The server version (latest) that was probed.'),
    status: ProbeOutcomeSchema.describe('ok if any remote answered MCP, else the most telling remote outcome.'),
    remotes: z.array(ProbedRemoteSchema).min(1),
    toolsVersion: shortText(255)
      .optional()
      .describe('The server version whose tools are listed (the last that answered); absent with no tools seen.'),
    tools: z.array(ProbedToolSchema).describe('Sorted by name; kept from the last successful listing.'),
    toolsTruncated: z.literal(true).optional().describe('The server listed more tools than the probe keeps.'),
    prompts: z.int().nonnegative().optional(),
    resources: z.int().nonnegative().optional(),
    toolsChangedAt: timestamp.optional().describe('The last time tools changed without a new version.'),
    changes: z.array(ToolChangeSchema).max(MAX_TOOL_CHANGES).describe('Changes to the tool list, newest first.'),
  })
  .meta({ title: 'MCP Index probe result (registry-data/servers/<namespace>/<name>/probe.json)' });
export type ProbeFile = z.infer<typeof ProbeFileSchema>;

/** The caps of one run (docs/probe.md explains each). */
export const ProbeLimitsSchema = z.strictObject({
  requestTimeoutMs: z.int().positive(),
  serverBudgetMs: z.int().positive(),
  responseBytes: z.int().positive(),
  serverBytes: z.int().positive(),
  pages: z.int().positive(),
  tools: z.int().positive(),
  descriptionChars: z.int().positive(),
  schemaBytes: z.int().positive(),
  schemaBytesPerServer: z.int().nonnegative(),
  redirects: z.int().nonnegative(),
  perHost: z.int().positive(),
});
export type ProbeLimits = z.infer<typeof ProbeLimitsSchema>;

const outcomeCounts = z.strictObject(
  Object.fromEntries(PROBE_OUTCOMES.map((outcome) => [outcome, z.int().nonnegative()])) as Record<
    ProbeOutcome,
    z.ZodInt
  >,
);

export const ProbeRunSchema = z
  .strictObject({
    checkedAt: timestamp.describe('When the run started; the check time of every server it probed.'),
    finishedAt: timestamp,
    client: shortText(100).describe('The probe client name and version sent in the handshake.'),
    protocolVersions: z.array(shortText(40)).describe('The protocol versions the client supports, newest first.'),
    limits: ProbeLimitsSchema.describe('The caps of docs/probe.md, as used.'),
    shards: z.array(z.string().regex(/^\d+\/\d+$/)).describe('The shards merged into this summary (I/N).'),
    servers: z.int().nonnegative().describe('Servers probed.'),
    outcomes: outcomeCounts.describe('Servers by status.'),
    tools: z.int().nonnegative().describe('Tools listed over all probed servers.'),
    silentChanges: z.array(serverName).describe('Servers whose tools changed without a new version in this run.'),
    probedSince: z
      .record(serverName, timestamp)
      .describe('Servers probed by a partial run (--only) after checkedAt, with the time of that check.'),
  })
  .meta({ title: 'MCP Index probe run summary (registry-data/probe-run.json)' });
export type ProbeRun = z.infer<typeof ProbeRunSchema>;

/** The published JSON Schemas of the two probe files, generated from the zod schemas above. */
export function probeJsonSchemas(): Record<'probe.schema.json' | 'probe-run.schema.json', unknown> {
  const options = {
    target: 'draft-2020-12',
    io: 'output',
    // A tool's schemas are the server's own JSON objects, kept as they came.
    override: (context: { zodSchema: unknown; jsonSchema: Record<string, unknown> }) => {
      if ((context.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def?.type === 'custom')
        context.jsonSchema.type = 'object';
    },
    unrepresentable: 'any',
  } as const;
  return {
    'probe.schema.json': z.toJSONSchema(ProbeFileSchema, options),
    'probe-run.schema.json': z.toJSONSchema(ProbeRunSchema, options),
  };
}
