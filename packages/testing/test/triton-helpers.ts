/**
 * Helpers shared by the Triton emulator tests: the fixture folder, an
 * emulator that closes itself after each test, and fixture replay with
 * status, header and body-shape checks.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import {
  diffWireShape,
  type Fixture,
  type FixtureRequest,
  type FixtureResponse,
  loadFixture,
  type ReplayedResponse,
  replayRequest,
  startTritonEmulator,
  type TritonEmulator,
  type TritonEmulatorOptions,
  type WireShapeOptions,
} from '../src/index';

/** The recorded Triton exchanges kept in this package (see fixtures/README.md). */
export const TRITON_FIXTURES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../fixtures/triton',
);

/** Loads one Triton fixture by file name (without `.json`). */
export const tritonFixture = (name: string): Fixture => loadFixture(TRITON_FIXTURES, name);

const running: TritonEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(emulator => emulator.close()));
});

/** Starts an emulator that is closed after the current test. */
export async function startTriton(options: TritonEmulatorOptions): Promise<TritonEmulator> {
  const emulator = await startTritonEmulator(options);
  running.push(emulator);
  return emulator;
}

/** Replays one request/response pair and checks status, recorded headers and body shape. */
export async function replayPair(
  url: string,
  pair: { request: FixtureRequest; response: FixtureResponse },
  shape: WireShapeOptions = {},
  extraHeaders: Record<string, string> = {},
): Promise<ReplayedResponse> {
  const got = await replayRequest(url, pair.request, extraHeaders);
  expect(got.status, `status of ${pair.request.method} ${pair.request.path}`).toBe(
    pair.response.status,
  );
  for (const [name, value] of Object.entries(pair.response.headers)) {
    expect(got.headers.get(name), `header ${name}`).toBe(value);
  }
  if (pair.response.sse) {
    expect(got.sse).toBeDefined();
    expect(diffWireShape(got.sse, pair.response.sse, shape)).toEqual([]);
  } else {
    expect(diffWireShape(got.body, pair.response.body, shape)).toEqual([]);
  }
  return got;
}

/** POSTs JSON and returns status, headers and the parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
