import { createHash, randomBytes } from 'node:crypto';

/**
 * A new virtual key: `sk-` and 16 random bytes in base64url (22 characters),
 * what LiteLLM's `secrets.token_urlsafe(16)` gives.
 */
export function newKeySecret(): string {
  return `sk-${randomBytes(16).toString('base64url')}`;
}

/** The stored form of a key: unsalted SHA-256 hex, LiteLLM's `token`. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** LiteLLM's `key_name`: `sk-...` and the last four characters. */
export function keyDisplayName(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

/** A key given as plaintext `sk-…` or as its hash (what `/key/info` returns as `token`). */
export function tokenOf(keyOrHash: string): string {
  return /^[0-9a-f]{64}$/.test(keyOrHash) ? keyOrHash : hashKey(keyOrHash);
}
