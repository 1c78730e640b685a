/**
 * What the proxy does not load until it is used, in a fresh Node process
 * (a test worker has loaded everything already).
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

it('the Jinja engine is loaded by the first chat template rendered, not by importing the SDK', async () => {
  const loadsFile = join(await mkdtemp(join(tmpdir(), 'switchyard-loads-')), 'loads.txt');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/fixtures/module-loads/record-loads.mjs',
      '--conditions=@switchyard/source',
      'test/fixtures/module-loads/jinja-loads.ts',
    ],
    { cwd: APP_DIR, env: { ...process.env, LOADS_FILE: loadsFile, NODE_OPTIONS: '' } },
  );
  const result = JSON.parse(stdout) as {
    afterImport: boolean;
    afterRender: boolean;
    prompt: string;
  };
  expect(result.afterImport).toBe(false);
  expect(result.afterRender).toBe(true);
  expect(result.prompt).toContain('hi');
});
