/**
 * A loopback git host: bare repositories under `<root>/<owner>/<repo>.git`, served over smart HTTP by
 * the real `git http-backend`, behind GitHub's token authentication (basic `x-access-token:<token>`).
 * `protect(owner, repo, branch)` installs a pre-receive hook that refuses pushes to a branch the way
 * GitHub's rulesets answer (GH013), so the bot write path meets what it meets on GitHub.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface GitHost {
  /** e.g. http://127.0.0.1:41234: use as GITHUB_SERVER_URL. */
  url: string;
  root: string;
  /** The `Authorization` header of every request, in order (undefined when none was sent). */
  authorizations: (string | undefined)[];
  /** Creates an empty bare repository and returns its folder. */
  create(owner: string, repo: string): string;
  /** Refuses every push to `branch` with GitHub's ruleset answer. */
  protect(owner: string, repo: string, branch: string): void;
  close(): Promise<void>;
}

export async function startGitHost(token: string): Promise<GitHost> {
  const root = mkdtempSync(path.join(tmpdir(), 'git-host-'));
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const authorizations: (string | undefined)[] = [];

  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization;
    authorizations.push(authorization);
    if (authorization?.toLowerCase() !== expected.toLowerCase()) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end('Authentication failed\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://host');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end + 4));
    });
    child.on('close', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoDir = (owner: string, repo: string) => path.join(root, owner, `${repo}.git`);
  return {
    url,
    root,
    authorizations,
    create(owner, repo) {
      const dir = repoDir(owner, repo);
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
      execFileSync('git', ['config', 'http.receivepack', 'true'], { cwd: dir });
      return dir;
    },
    protect(owner, repo, branch) {
      const hook = path.join(repoDir(owner, repo), 'hooks', 'pre-receive');
      writeFileSync(
        hook,
        `#!/bin/sh
while read old new ref; do
  if [ "$ref" = "refs/heads/${branch}" ]; then
    echo "error: GH013: Repository rule violations found for refs/heads/${branch}." >&2
    echo "- Changes must be made through a pull request." >&2
    echo "- Required status check \\"pr-check\\" is expected." >&2
    exit 1
  fi
done
`,
      );
      chmodSync(hook, 0o755);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
