import { configError } from '../options/checks';
import type { PickContext } from '../strategies/routing-strategy';

/** Where a session key is read from. */
export type SessionKeySource =
  | { kind: 'header'; name: string }
  | { kind: 'user' }
  | { kind: 'metadata'; field: string };

/** Tried in this order when `session_key` is not configured. */
export const DEFAULT_SESSION_KEYS = ['header:x-session-id', 'metadata.session_id', 'user'];

/**
 * Parses `session_key`: one source or a list tried in order —
 * `"header:<name>"` (a header passed as `CallOptions.headers`), `"user"`
 * (the OpenAI `user` field), or `"metadata.<field>"` (the request's
 * router-only `metadata`).
 */
export function parseSessionKeys(field: string, value: unknown): SessionKeySource[] {
  const list = value === undefined || value === null ? DEFAULT_SESSION_KEYS : value;
  const items = typeof list === 'string' ? [list] : list;
  const expected = '"header:<name>", "user", "metadata.<field>", or a list of them';
  if (!Array.isArray(items) || items.length === 0) throw configError(field, expected, value);
  return items.map((item, i) => {
    const where = Array.isArray(list) ? `${field}[${i}]` : field;
    if (typeof item !== 'string') throw configError(where, expected, item);
    if (item === 'user') return { kind: 'user' };
    if (item.startsWith('header:') && item.length > 7)
      return { kind: 'header', name: item.slice(7).toLowerCase() };
    if (item.startsWith('metadata.') && item.length > 9)
      return { kind: 'metadata', field: item.slice(9) };
    throw configError(where, expected, item);
  });
}

/** The first non-empty session key the request carries, or undefined. */
export function readSessionKey(
  sources: readonly SessionKeySource[],
  ctx: PickContext,
): string | undefined {
  for (const source of sources) {
    let value: unknown;
    if (source.kind === 'header') value = ctx.headers?.[source.name];
    else if (source.kind === 'metadata') value = ctx.metadata?.[source.field];
    else value = (ctx.request as { user?: unknown } | null)?.user;
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}
