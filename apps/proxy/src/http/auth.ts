import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthRecord } from '../keys/auth-record';
import { ProxyError } from './proxy-error';

/** Who a request acts as: the master key, a virtual key, or anyone (no master key set). */
export type Principal =
  | { kind: 'master' }
  | { kind: 'anonymous' }
  | { kind: 'key'; record: AuthRecord };

/**
 * Whether the caller administers the proxy: the master key, or anyone when
 * no master key is set (the operator chose an open proxy). Virtual keys are
 * not: they see only the models they may call, and no upstream addresses.
 */
export function isAdmin(principal: Principal | undefined): boolean {
  return principal === undefined || principal.kind !== 'key';
}

/**
 * Resolves the caller of a request, or throws a 401 {@link ProxyError}.
 * Synchronous for the master key and cached virtual keys; a promise only
 * when a key must be read from the store.
 */
export type Authenticate = (req: IncomingMessage) => Principal | Promise<Principal>;

/** Options for {@link createAuthenticator}. */
export interface AuthOptions {
  /** `general_settings.master_key`; without one every request is let through. */
  masterKey?: string;
  /** `general_settings.litellm_key_header_name`: one more header to read the key from. */
  customHeader?: string;
  /** Resolves any other key as a virtual key (undefined: only the master key works). */
  resolveKey?: (key: string) => Promise<AuthRecord>;
}

/** Headers LiteLLM reads a key from, besides `Authorization: Bearer`. */
const KEY_HEADERS = [
  'x-litellm-api-key',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'ocp-apim-subscription-key',
];

const ANONYMOUS: Principal = { kind: 'anonymous' };
const MASTER: Principal = { kind: 'master' };

/**
 * The authentication seam: the master key, else a virtual key through
 * `resolveKey` (cached in memory, so usually no I/O). Keys are compared as SHA-256
 * digests with `timingSafeEqual`, so neither the key's content nor its length
 * leaks through timing.
 */
export function createAuthenticator(options: AuthOptions): Authenticate {
  if (options.masterKey === undefined) return () => ANONYMOUS;
  const expected = digest(options.masterKey);
  const headers = options.customHeader
    ? [options.customHeader.toLowerCase(), ...KEY_HEADERS]
    : KEY_HEADERS;
  return req => {
    const key = readKey(req, headers);
    if (key === undefined) {
      throw new ProxyError({
        status: 401,
        type: 'auth_error',
        message:
          'Authentication Error, No api key passed in. Send it as "Authorization: Bearer <key>".',
      });
    }
    if (!timingSafeEqual(digest(key), expected)) {
      if (options.resolveKey && key.startsWith('sk-'))
        return options.resolveKey(key).then(record => ({ kind: 'key', record }) as Principal);
      throw new ProxyError({
        status: 401,
        type: 'auth_error',
        message: 'Authentication Error, Invalid proxy server token passed.',
      });
    }
    return MASTER;
  };
}

function readKey(req: IncomingMessage, headers: readonly string[]): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const key =
      auth.startsWith('Bearer ') || auth.startsWith('bearer ') ? auth.slice(7).trim() : auth.trim();
    if (key !== '') return key;
  }
  for (const name of headers) {
    const value = req.headers[name];
    if (typeof value === 'string' && value !== '')
      return value.startsWith('Bearer ') ? value.slice(7).trim() : value;
  }
  return undefined;
}

/** One-shot `crypto.hash`: a quarter faster than a Hash object, and less garbage, per request. */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
