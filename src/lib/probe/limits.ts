/**
 * Every cap the probe puts on a server, in one place: docs/probe.md lists them and each run records
 * them in probe-run.json, so a reader knows what "truncated" or "timeout" meant on that night.
 * A hostile server (slow drip, huge answer, endless pagination, redirect loop, garbage JSON-RPC)
 * meets one of these and becomes an outcome; it never stalls or crashes the run.
 */
import type { ProbeLimits } from '../registry/probe-facts.ts';

export type { ProbeLimits };

export const DEFAULT_LIMITS: ProbeLimits = {
  /** One HTTP request: connecting, headers, and each MCP request's answer. */
  requestTimeoutMs: 10_000,
  /** Everything for one server: every remote, handshake and list, together. */
  serverBudgetMs: 30_000,
  /** Bytes of one HTTP response body. */
  responseBytes: 4 * 1024 * 1024,
  /** Bytes received from one server over all its requests. */
  serverBytes: 16 * 1024 * 1024,
  /** Pages followed per list (tools, prompts, resources). */
  pages: 100,
  /** Tools kept; a server that lists more is marked truncated. */
  tools: 5_000,
  /** Characters of a tool's description kept in probe.json (the fingerprint covers all of it). */
  descriptionChars: 2_000,
  /** Bytes of one tool's input or output schema kept (the fingerprint covers all of it). */
  schemaBytes: 8 * 1024,
  /** Bytes of schemas kept per server; later tools keep their fingerprint but not their schemas. */
  schemaBytesPerServer: 1024 * 1024,
  /** Same-origin redirects followed per request (the SDK's own cap; other redirects are never followed). */
  redirects: 5,
  /** Connections at once to one host name, so a provider hosting thousands of servers is not hammered. */
  perHost: 4,
};

export const DEFAULT_CONCURRENCY = 32;
