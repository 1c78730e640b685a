/**
 * Compares a response body with a recorded upstream fixture: everything
 * must be equal, except paths named `loose` (ids, timestamps, generated
 * text, token counts), which only need the same JSON type, and arrays named
 * in `anyLength`, whose elements are compared with the fixture's elements
 * but whose length may differ.
 */

/** Options for {@link diffWireShape}. Paths look like `choices[].message.content`. */
export interface WireShapeOptions {
  /** Paths compared by JSON type only (a path also covers everything under it). */
  loose?: string[];
  /** Array paths whose length may differ from the fixture's. */
  anyLength?: string[];
  /** Paths left out of the comparison entirely. */
  ignore?: string[];
}

/** Lists every difference as `path: reason`; an empty list means the bodies match. */
export function diffWireShape(
  actual: unknown,
  expected: unknown,
  options: WireShapeOptions = {},
): string[] {
  const diffs: string[] = [];
  walk(actual, expected, '', options, diffs);
  return diffs;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function covered(path: string, list: string[] | undefined): boolean {
  return (list ?? []).some(
    p => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[]`),
  );
}

function walk(
  actual: unknown,
  expected: unknown,
  path: string,
  options: WireShapeOptions,
  diffs: string[],
): void {
  const label = path === '' ? '(root)' : path;
  if (covered(path, options.ignore)) return;
  const loose = covered(path, options.loose);
  const type = jsonType(expected);
  if (jsonType(actual) !== type) {
    diffs.push(
      `${label}: expected ${type} ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
    return;
  }
  if (type === 'array') {
    const a = actual as unknown[];
    const e = expected as unknown[];
    if (!(options.anyLength ?? []).includes(path) && a.length !== e.length && !loose) {
      diffs.push(`${label}: expected ${e.length} items, got ${a.length}`);
      return;
    }
    if (e.length === 0) return;
    a.forEach((item, i) => {
      walk(item, e[Math.min(i, e.length - 1)], `${path}[]`, options, diffs);
    });
    return;
  }
  if (type === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      const sub = path === '' ? key : `${path}.${key}`;
      if (!(key in a) && !covered(sub, options.ignore)) diffs.push(`${sub}: missing`);
    }
    for (const key of Object.keys(a)) {
      const sub = path === '' ? key : `${path}.${key}`;
      if (!(key in e)) {
        if (!covered(sub, options.ignore)) diffs.push(`${sub}: unexpected key`);
        continue;
      }
      walk(a[key], e[key], sub, options, diffs);
    }
    return;
  }
  if (!loose && actual !== expected) {
    diffs.push(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
