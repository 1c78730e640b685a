// Builds the proxy (and what it depends on) through turbo, then runs the
// `switchyard` command with the given arguments. Used by `pnpm switchyard`
// and `pnpm start` in a clone of the repository.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds with a line per package as it goes (the first build takes a few
 * minutes; later ones replay turbo's cache in a second or two), written to
 * stderr so the command's own output stays clean.
 */
function build() {
  process.stderr.write('Building the proxy (cached after the first time)…\n');
  const turbo = spawn(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@switchyard/proxy...', '--output-logs=hash-only'],
    { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' },
  );
  return new Promise(resolve => turbo.on('exit', code => resolve(code ?? 1)));
}

/** Builds, then runs `switchyard <args>`; exits with its status. */
export async function runProxyCommand(args) {
  const built = await build();
  if (built !== 0) {
    process.stderr.write('The build failed (see above).\n');
    process.exit(built);
  }
  const child = spawn(process.execPath, [`${root}apps/proxy/bin/switchyard.js`, ...args], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', code => process.exit(code ?? 0));
}
