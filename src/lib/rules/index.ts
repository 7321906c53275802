/** Every per-manifest semantic rule, run in a fixed order so output is deterministic. */
import type { Problem } from '../problems.ts';
import type { Rule, RuleContext } from './context.ts';
import { metaSize, metaUnknownKey } from './meta.ts';
import { nameFormat, nameNamespaceFormat, titleBlank } from './name.ts';
import {
  argumentNameChars,
  argumentValueRepeatsName,
  mcpbSha256,
  mcpbUrl,
  ociNoVersion,
  ociRegistryHost,
  packageIdentifierSpaces,
  registryBaseUrl,
  registryType,
  stdioUrl,
} from './packages.ts';
import { repositoryHost, repositorySourceMismatch, repositorySubfolder } from './repository.ts';
import {
  iconHttps,
  packageTransportUrlTemplate,
  remoteHttps,
  remoteLocalhost,
  remoteTemplateUndeclared,
  urlScheme,
  websiteHttps,
} from './urls.ts';
import { schemaUnknownField } from './unknown.ts';
import { packageVersion, versionRange, versionReserved, versionUnsafeFilename } from './version.ts';

export type { Rule, RuleContext } from './context.ts';

export const MANIFEST_RULES: readonly Rule[] = [
  nameFormat,
  nameNamespaceFormat,
  titleBlank,
  versionReserved,
  versionRange,
  versionUnsafeFilename,
  urlScheme,
  websiteHttps,
  iconHttps,
  repositoryHost,
  repositorySourceMismatch,
  repositorySubfolder,
  remoteHttps,
  remoteLocalhost,
  remoteTemplateUndeclared,
  packageIdentifierSpaces,
  packageVersion,
  registryType,
  registryBaseUrl,
  ociRegistryHost,
  ociNoVersion,
  mcpbUrl,
  mcpbSha256,
  packageTransportUrlTemplate,
  stdioUrl,
  argumentNameChars,
  argumentValueRepeatsName,
  metaUnknownKey,
  metaSize,
  schemaUnknownField,
];

export function runManifestRules(context: RuleContext): Problem[] {
  return MANIFEST_RULES.flatMap((rule) => rule(context));
}
