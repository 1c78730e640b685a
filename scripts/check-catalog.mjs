#!/usr/bin/env node
// Part of `pnpm lint`: every third-party dependency of every workspace
// package names `catalog:`, so its version lives once, in
// pnpm-workspace.yaml, and the packages cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sections = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** The package.json files of the workspace: the root and each folder the workspace globs name. */
function manifests() {
  const folders = ['packages', 'apps', 'examples'].flatMap(group =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => join(group, entry.name, 'package.json')),
  );
  return ['package.json', ...folders];
}

const problems = [];
for (const file of manifests()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, file), 'utf8'));
  } catch {
    continue; // a folder without a package.json is not a workspace package
  }
  for (const section of sections) {
    for (const [name, range] of Object.entries(manifest[section] ?? {})) {
      if (range.startsWith('workspace:') || range.startsWith('catalog:')) continue;
      problems.push(
        `${file}: ${section}.${name} is "${range}"; name it "catalog:" and set its range in pnpm-workspace.yaml`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`Dependency versions outside the catalog:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
