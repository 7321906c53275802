/**
 * npm run format [-- --check]: formats the tree with Prettier (.prettierrc.json, .prettierignore), or with
 * --check only lists the files that differ and exits 1. Prettier itself, given --write and --check, would
 * write and exit 0, so `npm run format -- --check` could never fail.
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rest = args.filter((arg) => arg !== '--check');
const result = spawnSync('prettier', [check ? '--check' : '--write', ...(rest.length > 0 ? rest : ['.'])], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
