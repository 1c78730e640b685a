/**
 * The release dry-run: every public package, packed as it is published, is
 * installed into one application folder outside the workspace, and used
 * there as applications use it — an ES-module app (`import`), a CommonJS app
 * (`require`), TypeScript under `node16` from a `.mts` and from a CommonJS
 * `.ts` file, and both CLIs through `npx`. One install serves every check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { root } from './pack-workspace';
import { installThrowawayApp, run } from './throwaway-app';

const consumers = fileURLToPath(new URL('./consumers/', import.meta.url));

/** The exact version installed in the workspace (so npm reuses its cache and TypeScript is the one we test with). */
function workspaceVersion(name: string): string {
  const file = join(root, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** An error as a consumer saw it (see consumers/run-checks.cjs). */
interface ErrorSeen {
  name?: string;
  status?: number;
  isInstance: boolean;
  isSwitchyardError: boolean;
}

/** What consumers/run-checks.cjs reports. */
interface ConsumerReport {
  format: string;
  resolved: Record<string, string>;
  sdk: { content: string; badRequest: ErrorSeen; notFound: ErrorSeen };
  redis: { inRedis: boolean; content: string; routedTo: number };
  kvEvents: { events: string[]; endpoint: string };
  proxy: {
    customProviders: Array<{ source: string; ids: string[] }>;
    vllm: { status: number; content: string };
    custom: { status: number; content: string };
  };
}

/** The JSON line a consumer prints last (`REPORT {...}`). */
function reportOf(output: string): ConsumerReport {
  const line = output.split('\n').find(l => l.startsWith('REPORT '));
  if (line === undefined) throw new Error(`no REPORT line in the output:\n${output}`);
  return JSON.parse(line.slice('REPORT '.length));
}

let app: string;
let packageNames: string[];

beforeAll(async () => {
  packageNames = Object.keys(inject('packed').tarballs).sort();
  app = await installThrowawayApp({
    name: 'consumers',
    switchyard: packageNames,
    dependencies: {
      typescript: workspaceVersion('typescript'),
      '@types/node': workspaceVersion('@types/node'),
    },
    files: Object.fromEntries(
      readdirSync(consumers).map(file => [file, readFileSync(join(consumers, file), 'utf8')]),
    ),
  });
});

describe.each([
  { format: 'esm', file: 'esm.mjs', entry: /\/dist\/index\.js$/ },
  { format: 'cjs', file: 'cjs.cjs', entry: /\/dist\/index\.cjs$/ },
])('an application loading every package as $format', ({ format, file, entry }) => {
  let report: ConsumerReport;

  beforeAll(async () => {
    report = reportOf(await run('node', [file], { cwd: app }));
  });

  it('gets each package in its own format', () => {
    expect(report.format).toBe(format);
    expect(Object.keys(report.resolved).sort()).toEqual(packageNames);
    for (const resolved of Object.values(report.resolved)) expect(resolved).toMatch(entry);
  });

  it('calls vLLM through the SDK, and recognises errors thrown from either format', () => {
    expect(report.sdk.content).toEqual(expect.any(String));
    expect(report.sdk.content.length).toBeGreaterThan(0);
    expect(report.sdk.badRequest).toMatchObject({ status: 400, isInstance: true });
    // Raised in the provider package, which the SDK loads with import(): in a
    // CommonJS app that is the ESM build of the errors, still recognised.
    expect(report.sdk.notFound).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      isInstance: true,
      isSwitchyardError: true,
    });
  });

  it('routes with its state in Redis (ioredis loaded on demand)', () => {
    expect(report.redis.inRedis).toBe(true);
    expect(report.redis.content.length).toBeGreaterThan(0);
    expect(report.redis.routedTo).toBeGreaterThan(0);
  });

  it('encodes KV events with msgpack and binds a ZeroMQ publisher', () => {
    expect(report.kvEvents.events).toEqual(['AllBlocksCleared']);
    expect(report.kvEvents.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a built-in and a CommonJS custom provider from the proxy', () => {
    expect(report.proxy.customProviders).toEqual([
      { source: './echo-provider.cjs', ids: ['myserver'] },
    ]);
    expect(report.proxy.vllm.status).toBe(200);
    expect(report.proxy.vllm.content.length).toBeGreaterThan(0);
    expect(report.proxy.custom.status).toBe(200);
    expect(report.proxy.custom.content.length).toBeGreaterThan(0);
  });
});

it('type-checks under node16 from an ES module (.mts) and from a CommonJS .ts file', async () => {
  // Fails with the compiler's messages (stdout) when a type does not resolve or is wrong.
  const output = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], {
    cwd: app,
  }).catch((error: { stdout?: string; message: string }) => {
    throw new Error(`tsc failed:\n${error.stdout ?? error.message}`);
  });
  expect(output).toBe('');
});

it('runs both CLIs through npx', async () => {
  const proxyVersion = (
    JSON.parse(readFileSync(join(root, 'apps/proxy/package.json'), 'utf8')) as { version: string }
  ).version;
  expect((await run('npx', ['--no-install', 'switchyard', '--version'], { cwd: app })).trim()).toBe(
    proxyVersion,
  );
  expect(await run('npx', ['--no-install', 'switchyard-emulator', '--help'], { cwd: app })).toMatch(
    /^Usage: switchyard-emulator <command>/,
  );
});
