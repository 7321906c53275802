/** Renders the RULES table as Markdown, for docs/validation.md (a test keeps the doc in sync). */
import { RULES, type RuleInfo } from '../rule-codes.ts';

export function renderRulesMarkdown(): string {
  const section = (scope: RuleInfo['scope']) =>
    Object.entries(RULES)
      .filter(([, rule]) => rule.scope === scope)
      .map(([code, rule]: [string, RuleInfo]) =>
        [
          `### \`${code}\` (${rule.severity})`,
          '',
          `**Checks:** ${rule.title}.`,
          '',
          `**Fix:** ${rule.hint}`,
          '',
          `**Mirrors:** ${rule.mirrors}.`,
          '',
        ].join('\n'),
      )
      .join('\n');
  return [
    '## Manifest rules',
    '',
    'Reported by `validateManifestText` for one server.json.',
    '',
    section('manifest'),
    '## Registry-wide rules',
    '',
    'Reported by the registry loader, the import and the build, which see every server and version at once.',
    '',
    section('registry'),
    '## Pull-request rules',
    '',
    'Reported by the pull-request check (`npm run check-pr`), which also sees the diff, its author and the',
    'outside world (GitHub, DNS, package registries). CONTRIBUTING.md explains them to authors.',
    '',
    section('pull-request'),
    '## Health rules',
    '',
    'Reported by the nightly health check (`npm run health`) on the latest version of every server.',
    '',
    section('health'),
  ].join('\n');
}
