/**
 * Portkey's open-source gateway as a peer: installed on demand from npm
 * into the git-ignored bench/node_modules (never by the project's own
 * `pnpm install`), started as its package bin, routed to the emulator with
 * `x-portkey-provider: openai` + `x-portkey-custom-host`.
 *
 * bench/package.json pins `@hono/node-server` 1.13.5 and `@hono/node-ws`
 * 1.2.0 through npm `overrides`: with the 1.19.x that a plain install
 * resolves, every streaming chat completion of Portkey 1.15.2 fails with a
 * 500 (`TypeError: immutable` in its header handling; upstream issues 1389
 * and 1550).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './paths.mjs';

/** The gateway's start script inside the bench install. */
export const PORTKEY_ENTRY = join(
  BENCH_DIR,
  'node_modules/@portkey-ai/gateway/build/start-server.js',
);

/** Installs the peers of bench/package.json when the Portkey entry point is missing. */
export function ensurePortkeyInstalled({ log = message => process.stderr.write(message) } = {}) {
  if (existsSync(PORTKEY_ENTRY)) return PORTKEY_ENTRY;
  log('installing @portkey-ai/gateway into bench/node_modules (one time) ...\n');
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      BENCH_DIR,
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
  );
  if (!existsSync(PORTKEY_ENTRY)) {
    throw new Error(
      'npm install finished but @portkey-ai/gateway/build/start-server.js is missing',
    );
  }
  return PORTKEY_ENTRY;
}

/** Headers that route a Portkey request to an OpenAI-compatible upstream at `upstreamUrl` (with /v1). */
export function portkeyHeaders(upstreamUrl) {
  return { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl };
}
