/**
 * A value that satisfies a JSON Schema, chosen deterministically from a
 * seed — what a model under vLLM's structured-output grammar would emit.
 * Covers the keywords clients' schema generators produce (OpenAI's zod
 * helper, zod's own `toJSONSchema`, pydantic): `$ref` into `$defs` or
 * `definitions`, `anyOf`/`oneOf`/`allOf`, nullable type lists, `enum`,
 * `const`, string formats and lengths, numeric bounds, array bounds and
 * `prefixItems`. `pattern` is not honoured (no regex synthesis).
 */
import { generateTokens, hashText } from '../shared/text-generator';
import { isRecord } from './field-checks';

/** Nesting below which recursive schemas take their smallest branch, so generation ends. */
const MAX_DEPTH = 6;

interface Walk {
  root: Record<string, unknown>;
  depth: number;
}

/** A value fitting `schema`, fixed by `seed`. */
export function valueForSchema(schema: unknown, seed: string): unknown {
  return valueFor(schema, seed, { root: isRecord(schema) ? schema : {}, depth: 0 });
}

function valueFor(schema: unknown, seed: string, walk: Walk): unknown {
  if (schema === true || !isRecord(schema)) return {};
  const here = resolveRef(schema, walk.root);
  const next: Walk = { root: walk.root, depth: walk.depth + 1 };
  if ('const' in here) return here.const;
  if (Array.isArray(here.enum) && here.enum.length > 0) {
    return here.enum[hashText(`enum:${seed}`) % here.enum.length];
  }
  const branches = (here.anyOf ?? here.oneOf) as unknown;
  if (Array.isArray(branches) && branches.length > 0) {
    return valueFor(pickBranch(branches, seed, walk), seed, next);
  }
  if (Array.isArray(here.allOf)) return valueFor(mergeAllOf(here), seed, next);
  switch (primaryType(here, walk)) {
    case 'string':
      return stringValue(here, seed);
    case 'integer':
      return numberValue(here, seed, true);
    case 'number':
      return numberValue(here, seed, false);
    case 'boolean':
      return hashText(seed) % 2 === 0;
    case 'null':
      return null;
    case 'array':
      return arrayValue(here, seed, next);
    default:
      return objectValue(here, seed, next);
  }
}

function resolveRef(schema: Record<string, unknown>, root: Record<string, unknown>) {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 32; hops++) {
    const ref = current.$ref as string;
    if (ref === '#') return root;
    const path = ref.replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const key of path) {
      const name = key.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isRecord(target) ? target[name] : undefined;
    }
    if (!isRecord(target)) return {};
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

/** Non-null branches first; deep in a recursive schema, the null or the simplest one. */
function pickBranch(branches: unknown[], seed: string, walk: Walk): unknown {
  const isNull = (b: unknown) => isRecord(b) && b.type === 'null';
  if (walk.depth >= MAX_DEPTH) return branches.find(isNull) ?? branches[0];
  const nonNull = branches.filter(b => !isNull(b));
  const pool = nonNull.length > 0 ? nonNull : branches;
  return pool[hashText(`branch:${seed}`) % pool.length];
}

function mergeAllOf(schema: Record<string, unknown>): Record<string, unknown> {
  const { allOf, ...rest } = schema;
  const merged: Record<string, unknown> = { ...rest };
  const properties: Record<string, unknown> = isRecord(rest.properties)
    ? { ...rest.properties }
    : {};
  const required = new Set<string>(Array.isArray(rest.required) ? rest.required : []);
  for (const part of allOf as unknown[]) {
    if (!isRecord(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isRecord(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) for (const r of value) required.add(r);
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function primaryType(schema: Record<string, unknown>, walk: Walk): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type) && type.length > 0) {
    if (walk.depth >= MAX_DEPTH && type.includes('null')) return 'null';
    return (type.find(t => t !== 'null') ?? type[0]) as string;
  }
  if (isRecord(schema.properties)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

const FORMATS: Record<string, (n: number) => string> = {
  'date-time': n => `2024-0${1 + (n % 9)}-1${n % 10}T0${n % 10}:30:00Z`,
  date: n => `2024-0${1 + (n % 9)}-1${n % 10}`,
  time: n => `0${n % 10}:30:00`,
  email: n => `user${n % 1000}@example.com`,
  uri: n => `https://example.com/item/${n % 1000}`,
  url: n => `https://example.com/item/${n % 1000}`,
  uuid: n => {
    const hex = (n >>> 0).toString(16).padStart(8, '0');
    return `${hex}-0000-4000-8000-${hex}0000`;
  },
  ipv4: n => `10.0.${(n >>> 8) % 256}.${n % 256}`,
};

function stringValue(schema: Record<string, unknown>, seed: string): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  let text = format
    ? format(hashText(seed))
    : generateTokens({ seedText: seed, count: 2 }).join('').replace(/\.$/, '');
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  while (text.length < min) text += ` ${generateTokens({ seedText: `${seed}+`, count: 1 })[0]}`;
  return text.length > max ? text.slice(0, max).trimEnd() || text.slice(0, max) : text;
}

function numberValue(schema: Record<string, unknown>, seed: string, integer: boolean): number {
  const num = (key: string) =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  const step = integer ? 1 : 0.01;
  const exclusiveMin = num('exclusiveMinimum');
  const exclusiveMax = num('exclusiveMaximum');
  let low = num('minimum') ?? (exclusiveMin !== undefined ? exclusiveMin + step : 0);
  let high = num('maximum') ?? (exclusiveMax !== undefined ? exclusiveMax - step : low + 100);
  if (integer) {
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  if (high < low) high = low;
  const span = high - low;
  const h = hashText(seed);
  let value = integer ? low + (h % (span + 1)) : low + ((h % 10_000) / 10_000) * span;
  const multiple = num('multipleOf');
  if (multiple !== undefined && multiple > 0) value = Math.ceil(low / multiple) * multiple;
  return integer ? Math.round(value) : Math.round(value * 100) / 100;
}

function arrayValue(schema: Record<string, unknown>, seed: string, walk: Walk): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Number.POSITIVE_INFINITY;
  const wanted = walk.depth >= MAX_DEPTH ? min : Math.max(min, prefix.length, 1);
  const count = Math.min(wanted, max);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const item = i < prefix.length ? prefix[i] : schema.items;
    out.push(valueFor(item, `${seed}[${i}]`, walk));
  }
  return out;
}

function objectValue(
  schema: Record<string, unknown>,
  seed: string,
  walk: Walk,
): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(properties)) {
    // Deep in a recursive schema only what must be there is written.
    if (walk.depth >= MAX_DEPTH && !required.has(key)) continue;
    out[key] = valueFor(sub, `${seed}.${key}`, walk);
  }
  return out;
}

/**
 * JSON text as Python's `json.dumps` writes it (`", "` and `": "`
 * separators) — how models usually space their JSON, and what gives the
 * emulator's whitespace tokenizer more than one token to stream.
 */
export function spacedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`).join(', ')}}`;
}
