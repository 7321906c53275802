/**
 * Stage 3 of the pull-request check (see check.ts), the only one that talks to the outside world:
 * the author must own the namespace of every new version and of every registry.json they change,
 * and every package of a new version must name its server. Without a network (--offline) each
 * check that could not run is a warning saying so, never a pass.
 */
import type { Problem } from '../problems.ts';
import { splitName } from '../registry/names.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { Ownership } from '../verify/namespace.ts';
import { verifyNamespace } from '../verify/namespace.ts';
import type { Network } from '../verify/network.ts';
import { verifyPackage } from '../verify/packages.ts';
import type { PolicyOutcome } from './policy.ts';
import type { PrSnapshot } from './read.ts';

export interface OwnershipOutcome {
  problems: Problem[];
  /** How each proven namespace was proven, e.g. `GitHub user alice`, by server name, sorted. */
  ownership: { name: string; via: string }[];
}

export async function checkOwnership(
  pr: PrSnapshot,
  policy: PolicyOutcome,
  network: Network | undefined,
): Promise<OwnershipOutcome> {
  const problems: Problem[] = [];
  const ownership: OwnershipOutcome['ownership'] = [];
  const ownsNamespace = namespaceChecker(pr.author, network);

  const checkedNames = new Set<string>();
  for (const entry of policy.newVersions) {
    if (!checkedNames.has(entry.name)) {
      checkedNames.add(entry.name);
      const result = await ownsNamespace(splitName(entry.name)[0], entry.file);
      if (result.owned) ownership.push({ name: entry.name, via: result.via });
      else problems.push({ ...result.problem, file: entry.file });
    }
    const packages = entry.server.packages ?? [];
    if (network)
      for (const [index, pkg] of packages.entries())
        problems.push(...(await verifyPackage(entry.name, pkg, network.packages, entry.file, `$.packages[${index}]`)));
    else if (packages.length)
      problems.push(
        ruleProblem('package-unverified', entry.file, '$.packages', 'package ownership was not checked (--offline)', {
          severity: 'warning',
        }),
      );
  }

  for (const { file, server } of policy.factsNeedingOwner) {
    const result = await ownsNamespace(splitName(server)[0], file);
    if (!result.owned)
      problems.push(
        ruleProblem(
          'facts-need-owner',
          file,
          '$',
          `status and curation of ${server} may only be changed by its owner or a maintainer: ${result.problem.message}`,
        ),
      );
  }
  return { problems, ownership: ownership.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** Asks once per namespace, however many files need it. */
function namespaceChecker(
  author: string | null,
  network: Network | undefined,
): (namespace: string, file: string) => Promise<Ownership> {
  const asked = new Map<string, Promise<Ownership>>();
  return (namespace, file) => {
    if (!network)
      return Promise.resolve({
        owned: false,
        problem: ruleProblem('namespace-unverified', file, '$.name', 'outside checks were skipped (--offline)', {
          severity: 'warning',
        }),
      });
    let pending = asked.get(namespace);
    if (!pending)
      asked.set(namespace, (pending = verifyNamespace(namespace, author ?? undefined, network.namespaces, file)));
    return pending;
  };
}
