/**
 * The zod schema of server.json as published by the official MCP registry, schema 2025-12-11.
 * This is the single source of truth for manifest types (`z.infer`). Structural rules live here;
 * semantic rules with stable codes (name format, URL safety, version ranges...) live in `src/lib/rules/`.
 * Unknown properties are stripped, as the official registry does when it stores a record.
 */
import { z } from 'zod';

export const CURRENT_SCHEMA_VERSION = '2025-12-11';
export const CURRENT_SCHEMA_URL = `https://static.modelcontextprotocol.io/schemas/${CURRENT_SCHEMA_VERSION}/server.schema.json`;
export const RELEASED_SCHEMA_VERSIONS = [
  '2025-07-09',
  '2025-09-16',
  '2025-09-29',
  '2025-10-11',
  '2025-10-17',
  '2025-12-11',
] as const;
export type SchemaVersion = (typeof RELEASED_SCHEMA_VERSIONS)[number];

/** A URL whose scheme is http or https (the official schema's `^https?://[^\s]+$`). */
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL without spaces');
/** JSON Schema `format: uri`: an absolute URI. Scheme safety is a semantic rule, checked separately. */
const uri = z.string().refine((value) => URL.canParse(value), 'must be an absolute URI');

export const InputSchema = z.object({
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  value: z.string().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});

export const InputWithVariablesSchema = InputSchema.extend({
  variables: z.record(z.string(), InputSchema).optional(),
});

export const KeyValueInputSchema = InputWithVariablesSchema.extend({
  name: z.string(),
});

export const PositionalArgumentSchema = InputWithVariablesSchema.extend({
  type: z.literal('positional'),
  valueHint: z.string().optional(),
  isRepeated: z.boolean().optional(),
}).refine((arg) => arg.valueHint !== undefined || arg.value !== undefined, {
  message: 'a positional argument needs a value or a valueHint',
});

export const NamedArgumentSchema = InputWithVariablesSchema.extend({
  type: z.literal('named'),
  name: z.string(),
  // Not described by the JSON Schema (which allows extra properties), but the official registry
  // keeps it on every argument and real records use it; transport URL templates may reference it.
  valueHint: z.string().optional(),
  isRepeated: z.boolean().optional(),
});

export const ArgumentSchema = z.discriminatedUnion('type', [PositionalArgumentSchema, NamedArgumentSchema]);

export const StdioTransportSchema = z.object({ type: z.literal('stdio') });
export const StreamableHttpTransportSchema = z.object({
  type: z.literal('streamable-http'),
  url: httpUrl,
  headers: z.array(KeyValueInputSchema).optional(),
});
export const SseTransportSchema = z.object({
  type: z.literal('sse'),
  url: httpUrl,
  headers: z.array(KeyValueInputSchema).optional(),
});
export const LocalTransportSchema = z.discriminatedUnion('type', [
  StdioTransportSchema,
  StreamableHttpTransportSchema,
  SseTransportSchema,
]);

const remoteVariables = { variables: z.record(z.string(), InputSchema).optional() };
export const RemoteTransportSchema = z.discriminatedUnion('type', [
  StreamableHttpTransportSchema.extend(remoteVariables),
  SseTransportSchema.extend(remoteVariables),
]);

export const PackageSchema = z.object({
  registryType: z.string(),
  registryBaseUrl: uri.optional(),
  identifier: z.string(),
  version: z
    .string()
    .min(1)
    .refine((v) => v !== 'latest', '"latest" is reserved')
    .optional(),
  fileSha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/, 'must be 64 lowercase hex characters')
    .optional(),
  runtimeHint: z.string().optional(),
  transport: LocalTransportSchema,
  runtimeArguments: z.array(ArgumentSchema).optional(),
  packageArguments: z.array(ArgumentSchema).optional(),
  environmentVariables: z.array(KeyValueInputSchema).optional(),
});

export const RepositorySchema = z.object({
  url: uri,
  source: z.string(),
  id: z.string().optional(),
  subfolder: z.string().optional(),
});

export const IconSchema = z.object({
  src: uri.pipe(z.string().max(255)),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/jpg', 'image/svg+xml', 'image/webp']).optional(),
  sizes: z.array(z.string().regex(/^(\d+x\d+|any)$/, 'must be WIDTHxHEIGHT or "any"')).optional(),
  theme: z.enum(['light', 'dark']).optional(),
});

export const PUBLISHER_META_KEY = 'io.modelcontextprotocol.registry/publisher-provided';

export const ServerJsonSchema = z.object({
  $schema: uri.optional(),
  name: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/, 'must be namespace/name'),
  description: z.string().min(1).max(100),
  title: z.string().min(1).max(100).optional(),
  repository: RepositorySchema.optional(),
  version: z.string().max(255),
  websiteUrl: uri.optional(),
  icons: z.array(IconSchema).optional(),
  packages: z.array(PackageSchema).optional(),
  remotes: z.array(RemoteTransportSchema).optional(),
  _meta: z.object({ [PUBLISHER_META_KEY]: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export type ServerJson = z.infer<typeof ServerJsonSchema>;
export type Package = z.infer<typeof PackageSchema>;
export type Remote = z.infer<typeof RemoteTransportSchema>;
export type Argument = z.infer<typeof ArgumentSchema>;
export type KeyValueInput = z.infer<typeof KeyValueInputSchema>;
export type Input = z.infer<typeof InputSchema>;
export type Icon = z.infer<typeof IconSchema>;
export type Repository = z.infer<typeof RepositorySchema>;
