/**
 * A throwaway application outside the workspace that installs the packed
 * tarballs with npm, as a user would install the published packages.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

/** What to install and which files to write beside the package.json. */
export interface ThrowawayAppOptions {
  /** Folder name under the packed tests' temporary folder. */
  name: string;
  /** Switchyard packages the app depends on (their tarballs are used). */
  switchyard: string[];
  /** Other dependencies, from the npm registry. */
  dependencies?: Record<string, string>;
  /** File name → contents. */
  files?: Record<string, string>;
}

/**
 * The environment of a user's shell: this one without the `NODE_PATH` that
 * `pnpm run` sets, through which the workspace's own packages (ioredis among
 * them) would be found from the throwaway app.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_PATH;
  return env;
}

/** Runs a command without blocking this process (an emulator in it may have to answer). */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, {
    cwd: options.cwd,
    env: userEnv(options.env),
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Writes the app and runs `npm install` in it; returns its folder. */
export async function installThrowawayApp(options: ThrowawayAppOptions): Promise<string> {
  const { work, tarballs } = inject('packed');
  const app = join(work, options.name);
  mkdirSync(app, { recursive: true });
  const dependencies: Record<string, string> = { ...options.dependencies };
  for (const name of options.switchyard) {
    const tarball = tarballs[name];
    if (tarball === undefined) throw new Error(`${name} was not packed`);
    dependencies[name] = tarball;
  }
  writeFileSync(
    join(app, 'package.json'),
    // `overrides`: our packages' own dependencies on each other resolve to the tarballs too.
    JSON.stringify({ name: options.name, private: true, dependencies, overrides: tarballs }),
  );
  for (const [file, contents] of Object.entries(options.files ?? {})) {
    writeFileSync(join(app, file), contents);
  }
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  return app;
}
