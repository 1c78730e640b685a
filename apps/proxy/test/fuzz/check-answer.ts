import { request } from 'undici';
import type { Caller, FuzzRequest } from './fuzz-request';

/** The keys each caller sends. */
export interface Callers {
  master: string;
  virtual: string;
}

/** What came back; `status` 0 when nothing did (connection lost, or no answer in time). */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** Why there was no answer. */
  failure?: string;
}

/** Longer than any answer of a sound proxy takes on a loaded machine; past it, it hangs. */
const ANSWER_TIMEOUT_MS = 30_000;

function authHeader(caller: Caller, keys: Callers): Record<string, string> {
  if (caller === 'none') return {};
  const key = caller === 'master' ? keys.master : caller === 'virtual' ? keys.virtual : 'sk-nobody';
  return { authorization: `Bearer ${key}` };
}

/** Sends one fuzz request and reads the whole answer (a stream to its end). */
export async function send(base: string, r: FuzzRequest, keys: Callers): Promise<Answer> {
  const headers: Record<string, string> = authHeader(r.caller, keys);
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  try {
    const res = await request(`${base}${r.path}`, {
      method: r.method as 'GET',
      headers,
      body: r.body,
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
    });
    const text = await res.body.text();
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text };
  } catch (error) {
    return { status: 0, contentType: '', text: '', failure: (error as Error).message };
  }
}

type Json = Record<string, unknown>;

/**
 * A large body refused before it was read (401, 403, 405, 415: see
 * `docs/proxy.md`, "HTTP-level refusals") ends with the connection closed
 * while the client is still writing; the client may then see its write
 * fail instead of the answer. Known and documented, and a matter of
 * timing: not counted, so the seeded run cannot flake on it.
 */
function refusedWhileSending(r: FuzzRequest, a: Answer): boolean {
  return (r.body?.length ?? 0) >= 256 * 1024 && /EPIPE|ECONNRESET/.test(a.failure ?? '');
}

/**
 * What is wrong with an answer, or undefined: no 5xx, an answer at all,
 * JSON (SSE for a stream), errors in the route's own shape, and a 400 for
 * a changed field names that field.
 */
export function problemWith(r: FuzzRequest, a: Answer): string | undefined {
  if (a.status === 0 && !refusedWhileSending(r, a)) return `no answer (${a.failure})`;
  if (a.status === 0) return undefined;
  if (a.status >= 500) return `${a.status}: ${a.text.slice(0, 300)}`;
  if (a.status < 400 && a.contentType.startsWith('text/event-stream')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    return `${a.status} with a body that is not JSON: ${a.text.slice(0, 200)}`;
  }
  if (a.status < 400) return undefined;
  // Refused by the HTTP parser before any route is known: always OpenAI's shape.
  const shape = a.status === 431 || a.status === 414 ? 'openai' : r.target.shape;
  const error = errorOf(body, shape);
  if (typeof error === 'string') return `${a.status} ${error}: ${a.text.slice(0, 300)}`;
  if (a.status !== 400 || r.fieldAtFault === undefined) return undefined;
  const named =
    (typeof error.param === 'string' && fieldRoot(error.param) === r.fieldAtFault) ||
    String(error.message).includes(r.fieldAtFault);
  return named ? undefined : `400 does not name ${r.fieldAtFault}: ${a.text.slice(0, 300)}`;
}

/** The error object of an error body, or what is wrong with its shape. */
function errorOf(body: unknown, shape: 'openai' | 'anthropic'): Json | string {
  const b = body as Json | null;
  const error = b?.error as Json | undefined;
  if (!error || typeof error !== 'object') return 'without an error object';
  if (typeof error.message !== 'string' || error.message === '') return 'without a message';
  if (typeof error.type !== 'string') return 'without a type';
  if (shape === 'anthropic') return b?.type === 'error' ? error : 'not in Anthropic shape';
  if (!('param' in error) || !('code' in error)) return 'not in OpenAI shape (param, code)';
  return error;
}

/** `metadata` of `metadata.a[0]`, `messages` of `messages[0].content`. */
function fieldRoot(param: string): string {
  return /^[^.[]*/.exec(param)![0];
}
