import {
  BadRequestError,
  ContentPolicyViolationError,
  ContextWindowExceededError,
} from '@switchyard/core';
import { configError, isPlainObject } from '../options/checks';

/** One hop of a fallback chain: a model group (or alias, or deployment id), plus request overrides. */
export interface FallbackTarget {
  model: string;
  /** Request fields to replace for this hop (client-side `fallbacks: [{"model": …, …}]`). */
  overrides?: Record<string, unknown>;
}

/** Fallback lists keyed by model group; `*` holds `default_fallbacks`. */
export type FallbackMap = ReadonlyMap<string, readonly FallbackTarget[]>;

/**
 * Parses LiteLLM's `[{"group-a": ["group-b", "group-c"]}, …]` (each object
 * with exactly one key), or the same as one object `{"group-a": [...]}`.
 */
export function parseFallbackMap(field: string, value: unknown): Map<string, FallbackTarget[]> {
  const out = new Map<string, FallbackTarget[]>();
  if (value === undefined || value === null) return out;
  const entries: [string, unknown, string][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isPlainObject(item) || Object.keys(item).length !== 1) {
        throw configError(
          `${field}[${i}]`,
          'an object with exactly one key: {"group": ["fallback", …]}',
          item,
        );
      }
      const [key, list] = Object.entries(item)[0]!;
      entries.push([key, list, `${field}[${i}].${key}`]);
    });
  } else if (isPlainObject(value)) {
    for (const [key, list] of Object.entries(value)) entries.push([key, list, `${field}.${key}`]);
  } else {
    throw configError(field, 'a list of {"group": ["fallback", …]} objects', value);
  }
  for (const [key, list, where] of entries) {
    out.set(key, [...(out.get(key) ?? []), ...parseTargets(where, list, false)]);
  }
  return out;
}

/**
 * A list of fallback targets: names, or (client-side only) objects with a
 * `model` and the request fields to override.
 */
export function parseTargets(
  field: string,
  value: unknown,
  allowObjects: boolean,
): FallbackTarget[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw configError(field, 'a list of model group names', value);
  return list.map((item, i): FallbackTarget => {
    if (typeof item === 'string' && item !== '') return { model: item };
    if (
      allowObjects &&
      isPlainObject(item) &&
      typeof item.model === 'string' &&
      item.model !== ''
    ) {
      const { model, ...overrides } = item;
      return { model, overrides };
    }
    throw new BadRequestError({
      message: `Invalid ${field}[${i}]: expected a model group name${allowObjects ? ' or {"model": …, …overrides}' : ''}`,
      param: `${field}[${i}]`,
    });
  });
}

/** The three fallback tables of a router. */
export interface FallbackTables {
  fallbacks: FallbackMap;
  contextWindow: FallbackMap;
  contentPolicy: FallbackMap;
}

/**
 * The configured fallbacks for a failure of `group`, following LiteLLM: a
 * context-window error uses `context_window_fallbacks` (configured but no
 * entry for this group → none); likewise content-policy errors; everything
 * else (and those two when their table is empty) uses `fallbacks`, by exact
 * group name, then the name without a provider prefix, then `*`
 * (`default_fallbacks`).
 */
export function configuredFallbacks(
  tables: FallbackTables,
  group: string,
  error: unknown,
): readonly FallbackTarget[] {
  if (ContextWindowExceededError.isInstance(error) && tables.contextWindow.size > 0) {
    return tables.contextWindow.get(group) ?? [];
  }
  if (ContentPolicyViolationError.isInstance(error) && tables.contentPolicy.size > 0) {
    return tables.contentPolicy.get(group) ?? [];
  }
  const exact = tables.fallbacks.get(group);
  if (exact) return exact;
  const slash = group.indexOf('/');
  const stripped = slash >= 0 ? tables.fallbacks.get(group.slice(slash + 1)) : undefined;
  return stripped ?? tables.fallbacks.get('*') ?? [];
}
