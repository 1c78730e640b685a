/**
 * How the proxy serves the admin page's files: from memory, gzipped when
 * the client accepts it, revalidated by ETag, hashed assets cached for
 * good, the page under a strict content security policy, and nothing but
 * the build's own files reachable.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, MASTER_KEY, type Stack, startStack } from './helpers';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/ui/assets/app-1a2b.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('dashboard '.repeat(200))});`;

describe('admin page files', () => {
  let stack: Stack;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    // A build's layout, written here: what is tested is how the proxy serves whatever the build wrote.
    dir = await mkdtemp(join(tmpdir(), 'switchyard-ui-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'app-1a2b.js'), SCRIPT);
    await writeFile(join(dir, 'assets', 'app-1a2b.js.map'), '{}');
    stack = await startStack({ masterKey: MASTER_KEY, adminUi: { assetsDir: dir } });
    base = stack.proxy.url;
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at /ui and /ui/ without a key, under a strict policy, never cached stale', async () => {
    for (const path of ['/ui', '/ui/']) {
      const r = await get(base, path);
      expect(r.status, path).toBe(200);
      expect(r.body).toBe(INDEX);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('gzips for a client that accepts it and caches hashed assets for good', async () => {
    const res = await request(`${base}/ui/assets/app-1a2b.js`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBe(raw.length);
    expect(raw.length).toBeLessThan(SCRIPT.length / 5);
    expect(gunzipSync(raw).toString()).toBe(SCRIPT);
    const plain = await get(base, '/ui/assets/app-1a2b.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers 304 to a matching ETag', async () => {
    const first = await get(base, '/ui');
    const again = await request(`${base}/ui`, {
      headers: { 'if-none-match': first.headers.etag! },
    });
    expect(again.statusCode).toBe(304);
    expect(await again.body.text()).toBe('');
  });

  it('reaches nothing outside the build: unknown files, source maps and traversal are 404s', async () => {
    for (const path of [
      '/ui/assets/nope.js',
      '/ui/assets/app-1a2b.js.map',
      '/ui/../package.json',
      '/ui/%2e%2e/%2e%2e/package.json',
      '/ui/assets/..%2f..%2findex.html',
    ]) {
      const r = await get(base, path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.type, path).toBe('not_found_error');
    }
  });

  it('refuses a malformed escape with a 400 naming the file', async () => {
    const r = await get(base, '/ui/%E0%A4');
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe('file');
  });
});

describe('admin page not built', () => {
  let stack: Stack;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-ui-empty-'));
    stack = await startStack({ masterKey: MASTER_KEY, adminUi: { assetsDir: dir } });
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to build it, in OpenAI error shape', async () => {
    const r = await get(stack.proxy.url, '/ui');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toContain('pnpm build');
  });
});
