#!/usr/bin/env node
// The `switchyard-emulator` command. A committed file that loads the built
// CLI, so a package manager can link the command before anything is built
// (in a clone of the repository, `pnpm install` runs before `pnpm build`).
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) {
    throw error;
  }
  process.stderr.write(
    'switchyard-emulator: not built yet. In a clone of the repository, run `pnpm build`.\n',
  );
  process.exitCode = 1;
}
