/**
 * The proxy as published serves its admin page: the packed tarball carries
 * the built page in dist/ui, and the `switchyard` command installed from it
 * answers /ui and the page's script from those files (nothing from the
 * workspace, no CDN).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installThrowawayApp, userEnv } from './throwaway-app';

let app: string;
let emulator: VllmEmulator;
let proxy: ChildProcess | undefined;

beforeAll(async () => {
  app = await installThrowawayApp({ name: 'proxy-admin-page', switchyard: ['@switchyard/proxy'] });
  emulator = await startVllmEmulator({ model: 'facebook/opt-125m' });
});

afterAll(async () => {
  proxy?.kill('SIGTERM');
  await emulator?.close();
});

/** Starts the installed command on a free loopback port; resolves with its URL once it listens. */
function startInstalledProxy(): Promise<string> {
  const bin = join(app, 'node_modules', '@switchyard', 'proxy', 'bin', 'switchyard.js');
  const child = spawn(
    process.execPath,
    [bin, '--model', 'hosted_vllm/facebook/opt-125m', '--api-base', emulator.url],
    {
      cwd: app,
      env: userEnv({ HOST: '127.0.0.1', PORT: '0' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  proxy = child;
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', code => reject(new Error(`switchyard exited (${code}): ${err}`)));
  });
}

it('ships the built page in dist/ui and serves it at /ui', async () => {
  const ui = join(app, 'node_modules', '@switchyard', 'proxy', 'dist', 'ui');
  expect(existsSync(join(ui, 'index.html'))).toBe(true);
  const url = await startInstalledProxy();
  const page = await fetch(`${url}/ui`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  const script = /<script type="module" crossorigin src="(\/ui\/assets\/[^"]+\.js)"/.exec(html);
  expect(script, html).not.toBeNull();
  const js = await fetch(`${url}${script![1]}`);
  expect(js.status).toBe(200);
  expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect((await js.text()).length).toBeGreaterThan(1000);
});
