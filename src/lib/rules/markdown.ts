/** Renders the RULES table as Markdown, for docs/validation.md (a test keeps the doc in sync). */
import { RULES, type RuleInfo } from './codes.ts';

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
    'Reported by the registry loader, which sees every server and version at once.',
    '',
    section('registry'),
  ].join('\n');
}
