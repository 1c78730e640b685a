/**
 * Replays recorded upstream request/response pairs (the fixture format:
 * `{name, request:{method,path,headers,body}, response:{status,headers,body|sse}}`)
 * against a live server, for tests that check an emulator is wire-faithful.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One recorded request. */
export interface FixtureRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** One recorded response; `sse` holds a stream's events, `[DONE]` as the string. */
export interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  sse?: { data: unknown }[];
}

/** One fixture file. */
export interface Fixture {
  name: string;
  request: FixtureRequest;
  response: FixtureResponse;
  also?: { request: FixtureRequest; response: FixtureResponse; notes?: string }[];
  notes?: string;
}

/** Reads `<dir>/<name>.json`. */
export function loadFixture(dir: string, name: string): Fixture {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
}

/** What a replayed request got back. */
export interface ReplayedResponse {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON; the raw text when it is not JSON. */
  body: unknown;
  /** For `text/event-stream`: each event's data, parsed as JSON unless it is `[DONE]`. */
  sse?: { data: unknown }[];
}

/** Sends a fixture's request (headers and body as recorded) to `baseUrl`. */
export async function replayRequest(
  baseUrl: string,
  request: FixtureRequest,
  extraHeaders: Record<string, string> = {},
): Promise<ReplayedResponse> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...extraHeaders },
    ...(request.body === null || request.body === undefined
      ? {}
      : { body: JSON.stringify(request.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the raw text (empty health bodies, streams).
  }
  const isSse = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  return {
    status: response.status,
    headers: response.headers,
    text,
    body,
    ...(isSse ? { sse: parseSseText(text) } : {}),
  };
}

/**
 * Splits an SSE body framed strictly as `data: <payload>\n\n` (what vLLM
 * and Triton send). Anything else throws, so framing slips are caught.
 */
export function parseSseText(text: string): { data: unknown }[] {
  if (text.length === 0) return [];
  if (!text.endsWith('\n\n'))
    throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map(block => {
      if (!block.startsWith('data: ') || block.includes('\n')) {
        throw new Error(`not a single-line "data: " event: ${JSON.stringify(block.slice(0, 80))}`);
      }
      const payload = block.slice('data: '.length);
      return { data: payload === '[DONE]' ? payload : JSON.parse(payload) };
    });
}
