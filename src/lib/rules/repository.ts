/** Rules on repository: a GitHub/GitLab repository URL matching `source`, and a clean subfolder. */
import { quote, report, type Rule } from './context.ts';
import { schemeKind } from './url.ts';

const REPOSITORY_URL: ReadonlyMap<string, RegExp> = new Map([
  ['github', /^https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+\/?$/],
  ['gitlab', /^https?:\/\/(?:www\.)?gitlab\.com\/[\w.-]+(?:\/[\w.-]+)+\/?$/],
]);

export const repositoryHost: Rule = (context) => {
  const { repository } = context.server;
  if (!repository || schemeKind(repository.url) === 'other') return [];
  const matches = [...REPOSITORY_URL.values()].some((pattern) => pattern.test(repository.url));
  if (matches) return [];
  return [
    report(
      context,
      'repository-host',
      ['repository', 'url'],
      `${quote(repository.url)} is not a github.com/<owner>/<repo> or gitlab.com/<group>/<repo> URL`,
    ),
  ];
};

export const repositorySourceMismatch: Rule = (context) => {
  const { repository } = context.server;
  if (!repository) return [];
  const pattern = REPOSITORY_URL.get(repository.source);
  if (!pattern) {
    return [
      report(
        context,
        'repository-source-mismatch',
        ['repository', 'source'],
        `source ${quote(repository.source)} is not "github" or "gitlab"`,
      ),
    ];
  }
  const otherSourceMatches = [...REPOSITORY_URL].some(
    ([source, other]) => source !== repository.source && other.test(repository.url),
  );
  if (!pattern.test(repository.url) && otherSourceMatches) {
    return [
      report(
        context,
        'repository-source-mismatch',
        ['repository', 'source'],
        `source ${quote(repository.source)} does not match ${quote(repository.url)}`,
      ),
    ];
  }
  return [];
};

export const repositorySubfolder: Rule = (context) => {
  const subfolder = context.server.repository?.subfolder;
  if (subfolder === undefined || subfolder === '') return [];
  const problem = (reason: string) => [
    report(context, 'repository-subfolder', ['repository', 'subfolder'], `subfolder ${quote(subfolder)} ${reason}`),
  ];
  if (subfolder.startsWith('/') || subfolder.endsWith('/')) return problem('must not start or end with "/"');
  if (!/^[a-zA-Z0-9\-_./]+$/.test(subfolder)) return problem('may only contain letters, digits, "-", "_", "." and "/"');
  if (subfolder.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return problem('must not contain empty, "." or ".." segments');
  }
  return [];
};
