/** Rules on URLs anywhere in a manifest: safe schemes, https for website and icons, remotes. */
import type { Problem } from '../problems.ts';
import { quote, report, type Rule, type RuleContext } from './context.ts';
import { fillTemplate, hostnameOf, isLoopbackHost, schemeKind, schemeOf, templateVariables } from './url.ts';

/** Every URL-valued field of the server with its path. Remote and transport URLs are templates. */
function urlFields(context: RuleContext): { path: (string | number)[]; url: string }[] {
  const { server } = context;
  const fields: { path: (string | number)[]; url: string }[] = [];
  if (server.websiteUrl !== undefined) fields.push({ path: ['websiteUrl'], url: server.websiteUrl });
  server.icons?.forEach((icon, index) => fields.push({ path: ['icons', index, 'src'], url: icon.src }));
  if (server.repository) fields.push({ path: ['repository', 'url'], url: server.repository.url });
  server.remotes?.forEach((remote, index) => fields.push({ path: ['remotes', index, 'url'], url: remote.url }));
  server.packages?.forEach((pkg, index) => {
    if (pkg.registryBaseUrl !== undefined)
      fields.push({ path: ['packages', index, 'registryBaseUrl'], url: pkg.registryBaseUrl });
    if (pkg.registryType === 'mcpb') fields.push({ path: ['packages', index, 'identifier'], url: pkg.identifier });
    if (pkg.transport.type !== 'stdio')
      fields.push({ path: ['packages', index, 'transport', 'url'], url: pkg.transport.url });
  });
  return fields;
}

/** javascript:, data:, file: and every other non-http(s) scheme, wherever a URL is. */
export const urlScheme: Rule = (context) =>
  urlFields(context)
    .filter(({ url }) => schemeKind(url) === 'other')
    .map(({ path, url }) =>
      report(
        context,
        'url-scheme',
        path,
        `${quote(url)} uses the ${quote(schemeOf(url))} scheme; only https (or http where allowed) is accepted`,
      ),
    );

export const websiteHttps: Rule = (context) => {
  const url = context.server.websiteUrl;
  if (url === undefined || schemeKind(url) === 'https' || schemeKind(url) === 'other') return [];
  return [report(context, 'website-https', ['websiteUrl'], `websiteUrl ${quote(url)} is not an absolute https URL`)];
};

export const iconHttps: Rule = (context) =>
  (context.server.icons ?? []).flatMap((icon, index) => {
    const kind = schemeKind(icon.src);
    if (kind === 'https' || kind === 'other') return [];
    return [
      report(
        context,
        'icon-https',
        ['icons', index, 'src'],
        `icon src ${quote(icon.src)} is not an absolute https URL`,
      ),
    ];
  });

export const remoteHttps: Rule = (context) =>
  (context.server.remotes ?? []).flatMap((remote, index) => {
    const kind = schemeKind(remote.url);
    if (kind === 'https' || kind === 'other') return [];
    const reason = kind === 'http' ? 'uses http' : 'is not an absolute URL with a host';
    return [
      report(
        context,
        'remote-https',
        ['remotes', index, 'url'],
        `remote URL ${quote(remote.url)} ${reason}; remotes must be https`,
      ),
    ];
  });

export const remoteLocalhost: Rule = (context) =>
  (context.server.remotes ?? []).flatMap((remote, index) => {
    const host = hostnameOf(remote.url);
    if (host === undefined || !isLoopbackHost(host)) return [];
    return [
      report(
        context,
        'remote-localhost',
        ['remotes', index, 'url'],
        `remote URL ${quote(remote.url)} points to ${quote(host)}, which only exists on the user's machine`,
      ),
    ];
  });

export const remoteTemplateUndeclared: Rule = (context) =>
  (context.server.remotes ?? []).flatMap((remote, index) => {
    const declared = new Set(Object.keys(remote.variables ?? {}));
    const missing = templateVariables(remote.url).filter((name) => !declared.has(name));
    if (missing.length === 0) return [];
    const names = [...new Set(missing)].map((name) => `{${name}}`).join(', ');
    return [
      report(
        context,
        'remote-template-undeclared',
        ['remotes', index, 'url'],
        `remote URL uses ${names} not declared in remotes[${index}].variables`,
      ),
    ];
  });

/** A package's streamable-http/sse URL may use argument names/valueHints and environment variable names. */
export const packageTransportUrlTemplate: Rule = (context) => {
  const problems: Problem[] = [];
  context.server.packages?.forEach((pkg, index) => {
    if (pkg.transport.type === 'stdio') return;
    const { url } = pkg.transport;
    const path = ['packages', index, 'transport', 'url'];
    const kind = schemeKind(url);
    if (kind === 'other') return; // url-scheme reports it
    if (kind === 'invalid' || URL.parse(fillTemplate(url))?.host === '') {
      problems.push(
        report(context, 'package-transport-url-template', path, `${quote(url)} is not an http(s) URL with a host`),
      );
      return;
    }
    const declared = new Set<string>();
    for (const env of pkg.environmentVariables ?? []) declared.add(env.name);
    for (const argument of [...(pkg.runtimeArguments ?? []), ...(pkg.packageArguments ?? [])]) {
      if (argument.type === 'named' && argument.name) declared.add(argument.name);
      if (argument.valueHint) declared.add(argument.valueHint);
    }
    const missing = [...new Set(templateVariables(url).filter((name) => !declared.has(name)))];
    if (missing.length > 0) {
      const names = missing.map((name) => `{${name}}`).join(', ');
      problems.push(
        report(
          context,
          'package-transport-url-template',
          path,
          `${quote(url)} uses ${names}, which no argument or environment variable of this package declares`,
        ),
      );
    }
  });
  return problems;
};
