/** The bot comment as an author reads it (issue 15): links, a new server once, how to re-run, hostile names. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrCheckResult } from '../../../src/lib/pr/check.ts';
import { renderComment } from '../../../src/lib/pr/comment.ts';
import { ROOT } from './pr-repo.ts';

const BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const REPO = 'https://github.com/acme/mcp-registry';
const NEW_FILE = 'registry-data/servers/io.github.bob/thing/versions/1.0.0.json';

function result(overrides: Partial<PrCheckResult> = {}): PrCheckResult {
  return {
    base: BASE,
    mergeBase: BASE,
    head: HEAD,
    author: 'bob',
    changes: [],
    newServers: ['io.github.bob/thing'],
    newVersions: [
      { name: 'io.github.bob/thing', version: '1.0.0', file: NEW_FILE },
      {
        name: 'io.github.bob/old',
        version: '2.0.0',
        file: 'registry-data/servers/io.github.bob/old/versions/2.0.0.json',
      },
    ],
    ownership: [],
    problems: [],
    labels: [],
    ok: true,
    ...overrides,
  };
}

const options = { repositoryUrl: REPO, headSha: HEAD, baseSha: BASE, runUrl: `${REPO}/actions/runs/9` };

describe('the bot comment', () => {
  it('lists a new server once, with its version, and only other servers under new versions', () => {
    const text = renderComment(result(), options);
    expect(text).toContain('- new server: `io.github.bob/thing` `1.0.0`\n');
    expect(text).toContain('- new version: `io.github.bob/old` `2.0.0`\n');
    expect(text.match(/io\.github\.bob\/thing/g)).toHaveLength(1);
  });

  it('links each file and line to the commit checked and each rule code to its documentation', () => {
    const text = renderComment(
      result({
        ok: false,
        problems: [
          {
            code: 'version-reserved',
            severity: 'error',
            file: NEW_FILE,
            path: '$.version',
            line: 4,
            message: '"latest" is reserved for the newest published version',
            hint: 'Use the exact version',
          },
        ],
      }),
      options,
    );
    expect(text).toContain(
      `[\`version-reserved\`](${REPO}/blob/${BASE}/docs/validation.md#version-reserved-error) | [\`${NEW_FILE}:4\`](${REPO}/blob/${HEAD}/${NEW_FILE}#L4) \`$.version\``,
    );
    // The anchor is the heading GitHub renders in docs/validation.md.
    expect(readFileSync(path.join(ROOT, 'docs/validation.md'), 'utf8')).toContain('### `version-reserved` (error)');
    expect(text).toContain(
      `Rule codes are explained in [docs/validation.md](${REPO}/blob/${BASE}/docs/validation.md).`,
    );
  });

  it('says how to run a pull_request_target check again', () => {
    const text = renderComment(result(), options);
    expect(text).toContain(
      'push a commit to the branch (`git commit --allow-empty -m "Re-run the registry check" && git push`)',
    );
    expect(text).toContain(`only a maintainer can re-run it from the [workflow run](${REPO}/actions/runs/9)`);
  });

  it('says when a reverse-DNS namespace needs a maintainer', () => {
    const problem = {
      code: 'namespace-dns' as const,
      severity: 'error' as const,
      file: NEW_FILE,
      path: '$.name',
      message: 'no proof for com.example',
      hint: 'Add a DNS TXT record',
    };
    expect(renderComment(result({ ok: false, problems: [problem] }), options)).toContain(
      '**This pull request needs a maintainer:** a reverse-DNS namespace could not be proven automatically.',
    );
    expect(renderComment(result(), options)).not.toContain('needs a maintainer');
  });

  it('keeps hostile file names inside their link and puts no zero-width character in a code span', () => {
    const file = 'registry-data/servers/io.github.bob/x)](https://evil.example)/versions/@v 1.json';
    const text = renderComment(
      result({
        ok: false,
        newServers: ['io.github.bob/@mention'],
        problems: [
          { code: 'json-syntax', severity: 'error', file, path: '$', line: 1, message: 'ping @admin', hint: 'fix' },
        ],
      }),
      options,
    );
    expect(text).toContain('(https://github.com/acme/mcp-registry/blob/');
    expect(text).toContain('/x%29%5D%28https%3A//evil.example%29/versions/%40v%201.json#L1) `$`');
    for (const span of text.match(/`[^`\n]*`/g) ?? []) expect(span, span).not.toMatch(/\u200b/);
    expect(text).toContain('ping @\u200badmin'); // a mention in prose is broken, as before
  });

  it('links nothing without a repository (check-pr run locally)', () => {
    const text = renderComment(result());
    expect(text).not.toMatch(/\]\(https:/);
    expect(text).toContain('Rule codes are explained in docs/validation.md.');
  });
});
