/**
 * Installs the packed SDK and only the vLLM provider into a throwaway project
 * outside the workspace, as a user would, and checks that a `hosted_vllm/`
 * call works while a `triton/` call and Redis router state fail with the
 * package to install. This proves the providers and ioredis really are
 * optional peers and the published files are enough.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dependencyTree, textBlockAfter } from './dependency-tree';
import { root } from './pack-workspace';
import { installThrowawayApp, run } from './throwaway-app';

const APP = `import { completion, createRouter } from '@switchyard/sdk';
const messages = [{ role: 'user', content: 'Hello' }];
const ok = await completion({ model: 'hosted_vllm/facebook/opt-125m', messages, api_base: process.env.VLLM_URL });
console.log('vllm:' + ok.choices[0].message.content.length);
try {
  await completion({ model: 'triton/llama', messages, api_base: 'http://127.0.0.1:9/generate' });
  console.log('triton: no error');
} catch (error) {
  console.log('triton:' + error.name + ':' + error.message);
}
const model_list = [{ model_name: 'm', litellm_params: { model: 'hosted_vllm/facebook/opt-125m' } }];
try {
  createRouter({ model_list, redis_url: 'redis://127.0.0.1:6379' });
  console.log('redis: no error');
} catch (error) {
  console.log('redis:' + error.message);
}
`;

let app: string;
let emulator: VllmEmulator;

beforeAll(async () => {
  app = await installThrowawayApp({
    name: 'vllm-only-app',
    switchyard: ['@switchyard/sdk', '@switchyard/provider-vllm'],
    files: { 'app.mjs': APP },
  });
  emulator = await startVllmEmulator({ model: 'facebook/opt-125m' });
});

afterAll(async () => {
  await emulator?.close();
});

it('works with only provider-vllm installed, and names the package a triton/ model or Redis state needs', async () => {
  const output = await run('node', ['app.mjs'], {
    cwd: app,
    env: { VLLM_URL: emulator.url },
  });
  expect(output).toMatch(/^vllm:[1-9]\d*$/m);
  expect(output).toContain(
    'triton:BadRequestError:The provider package @switchyard/provider-triton is not installed. Install it with `npm install @switchyard/provider-triton` or `pnpm add @switchyard/provider-triton`.',
  );
  // Redis support is an optional peer of the router: not installed, and named when asked for.
  expect(existsSync(join(app, 'node_modules', 'ioredis'))).toBe(false);
  expect(output).toContain(
    'redis:Router state in Redis (redis_url / redis_host) needs the ioredis package, which is not installed. Install it with `npm install ioredis` or `pnpm add ioredis`.',
  );
});

it('installs exactly the dependency tree the README shows for a vLLM-only app', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const shown = textBlockAfter(readme, 'The whole dependency tree of a vLLM-only app');
  expect(
    shown,
    'the README block after "The whole dependency tree of a vLLM-only app"',
  ).toBeDefined();
  expect(await dependencyTree(app)).toBe(shown);
});
