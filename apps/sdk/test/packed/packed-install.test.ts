/**
 * Installs the packed SDK and only the vLLM provider into a throwaway project
 * outside the workspace, as a user would, and checks that a `hosted_vllm/`
 * call works while a `triton/` call fails with the install hint. This proves
 * the providers really are optional peers and the published files are enough.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const packages = ['core', 'prompt-templates', 'router', 'provider-vllm'].map(
  name => `packages/${name}`,
);
const installed = [...packages, 'apps/sdk'];

let work: string;
let emulator: VllmEmulator;

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return execFileSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-packed-'));
  const tarballs = join(work, 'tarballs');
  run(
    'pnpm',
    [
      'turbo',
      'run',
      'build',
      '--filter=@switchyard/sdk...',
      '--filter=@switchyard/provider-vllm',
      '--output-logs=errors-only',
    ],
    root,
  );
  for (const dir of installed)
    run('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir));
  const files = readdirSync(tarballs);
  const tarballOf = (name: string) =>
    `file:${join(tarballs, files.find(file => file.startsWith(`switchyard-${name}-`))!)}`;
  const local = Object.fromEntries(
    ['core', 'prompt-templates', 'router', 'provider-vllm', 'sdk'].map(name => [
      `@switchyard/${name}`,
      tarballOf(name),
    ]),
  );
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'throwaway-app',
      private: true,
      type: 'module',
      dependencies: {
        '@switchyard/sdk': local['@switchyard/sdk'],
        '@switchyard/provider-vllm': local['@switchyard/provider-vllm'],
      },
      overrides: local,
    }),
  );
  writeFileSync(
    join(app, 'app.mjs'),
    `import { completion } from '@switchyard/sdk';
const messages = [{ role: 'user', content: 'Hello' }];
const ok = await completion({ model: 'hosted_vllm/facebook/opt-125m', messages, api_base: process.env.VLLM_URL });
console.log('vllm:' + ok.choices[0].message.content.length);
try {
  await completion({ model: 'triton/llama', messages, api_base: 'http://127.0.0.1:9/generate' });
  console.log('triton: no error');
} catch (error) {
  console.log('triton:' + error.name + ':' + error.message);
}
`,
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
  emulator = await startVllmEmulator({ model: 'facebook/opt-125m' });
}, 240_000);

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('works with only provider-vllm installed, and names the package a triton/ model needs', async () => {
  // Asynchronously: the emulator answering the app runs in this very process.
  const { stdout: output } = await promisify(execFile)('node', ['app.mjs'], {
    cwd: join(work, 'app'),
    env: { ...process.env, VLLM_URL: emulator.url },
  });
  expect(output).toMatch(/^vllm:[1-9]\d*$/m);
  expect(output).toContain(
    'triton:BadRequestError:The provider package @switchyard/provider-triton is not installed. Install it with `npm install @switchyard/provider-triton` or `pnpm add @switchyard/provider-triton`.',
  );
}, 60_000);
