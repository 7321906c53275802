/** Rules on the server name and display texts. */
import { quote, type Rule } from './context.ts';
import { report } from './context.ts';

const NAMESPACE = /^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]$/;
const NAME_PART = /^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/;
const DNS_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** `namespace/name`, exactly one slash, each part starting and ending with a letter or digit. */
export const nameFormat: Rule = (context) => {
  const { name } = context.server;
  const parts = name.split('/');
  if (parts.length !== 2) {
    return [
      report(
        context,
        'name-format',
        ['name'],
        `${quote(name)} must contain exactly one "/" (namespace/name), found ${parts.length - 1}`,
      ),
    ];
  }
  const [namespace, server] = parts as [string, string];
  if (!NAMESPACE.test(namespace)) {
    return [
      report(
        context,
        'name-format',
        ['name'],
        `namespace ${quote(namespace)} must start and end with a letter or digit and contain only letters, digits, "." and "-"`,
      ),
    ];
  }
  if (!NAME_PART.test(server)) {
    return [
      report(
        context,
        'name-format',
        ['name'],
        `name ${quote(server)} must start and end with a letter or digit and contain only letters, digits, ".", "_" and "-"`,
      ),
    ];
  }
  return [];
};

/** The namespace is reverse-DNS: at least two dot-separated labels, none empty or hyphen-edged. */
export const nameNamespaceFormat: Rule = (context) => {
  const [namespace, ...rest] = context.server.name.split('/');
  if (rest.length !== 1 || !namespace || !NAMESPACE.test(namespace)) return []; // name-format reports it
  const labels = namespace.split('.');
  if (labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label))) return [];
  return [
    report(
      context,
      'name-namespace-format',
      ['name'],
      `namespace ${quote(namespace)} is not reverse-DNS like io.github.<user> or com.example`,
    ),
  ];
};

export const titleBlank: Rule = (context) => {
  const { title } = context.server;
  return title !== undefined && title.trim() === ''
    ? [report(context, 'title-blank', ['title'], 'title is only whitespace')]
    : [];
};
