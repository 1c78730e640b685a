/**
 * vitest global setup of the packed tests: packs every public workspace
 * package once, with `pnpm pack` (which writes the versions `workspace:` and
 * `catalog:` stand for, as publishing does), into a temporary folder outside
 * the workspace. The packages must be built first: `pnpm test:packed` builds
 * them before vitest starts, so no test timeout covers a cold build.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

/** The repository root. */
export const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** What the setup hands to the test files (`inject('packed')`). */
export interface Packed {
  /** A temporary folder outside the workspace, removed after the run. */
  work: string;
  /** Package name → `file:` specifier of its tarball. */
  tarballs: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Packed;
  }
}

/** Folders of the workspace packages that get published (not `private`). */
export function publicPackageDirs(): string[] {
  return ['packages', 'apps'].flatMap(group =>
    readdirSync(join(root, group))
      .map(name => join(root, group, name))
      .filter(dir => {
        const file = join(dir, 'package.json');
        return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).private !== true;
      }),
  );
}

export default async function setup(project: TestProject): Promise<() => void> {
  const work = mkdtempSync(join(tmpdir(), 'switchyard-packed-'));
  const destination = join(work, 'tarballs');
  const tarballs: Record<string, string> = {};
  // One at a time: each `pnpm pack` is short, and in parallel they only fight for the CPU.
  for (const dir of publicPackageDirs()) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
    };
    await promisify(execFile)('pnpm', ['pack', '--pack-destination', destination], { cwd: dir });
    const prefix = `${name.replace('@', '').replace('/', '-')}-`;
    const file = readdirSync(destination).find(
      f => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)),
    );
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[name] = `file:${join(destination, file)}`;
  }
  project.provide('packed', { work, tarballs });
  return () => rmSync(work, { recursive: true, force: true });
}
