import { BadRequestError } from '@switchyard/core';

/**
 * Small validators for configuration and per-request router fields. Each
 * throws a {@link BadRequestError} naming the field and what was expected, so
 * a typo in a config file is reported where it is, not as a crash later.
 */
export function configError(field: string, expected: string, got: unknown): BadRequestError {
  return new BadRequestError({
    message: `Invalid router setting ${field}: expected ${expected}, got ${describe(got)}`,
    param: field,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A number, or a numeric string (values resolved from `os.environ/` arrive as
 * strings). `min` is inclusive.
 */
export function optionalNumber(
  field: string,
  value: unknown,
  opts: { min?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const what = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}`;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw configError(field, what, value);
  if (opts.integer && !Number.isInteger(n)) throw configError(field, what, value);
  if (opts.min !== undefined && n < opts.min) throw configError(field, what, value);
  return n;
}

export function optionalBoolean(field: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw configError(field, 'a boolean', value);
}

export function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '')
    throw configError(field, 'a non-empty string', value);
  return value;
}

export function stringList(field: string, value: unknown): string[] {
  if (typeof value === 'string' && value !== '') return [value];
  if (!Array.isArray(value)) throw configError(field, 'a list of model group names', value);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item === '') {
      throw configError(`${field}[${i}]`, 'a model group name', item);
    }
    return item;
  });
}

/** `maxInputTokens` → `max_input_tokens`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
}

/**
 * Copies `source` with every camelCase key written in snake_case, so
 * `numRetries` and `num_retries` both work. Giving both spellings with
 * different values is an error rather than a silent pick.
 */
export function snakeKeys(
  source: Record<string, unknown>,
  where: string,
  only?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const snake = snakeCase(key);
    const target = only === undefined || only.has(snake) ? snake : key;
    if (target in out && out[target] !== value) {
      throw new BadRequestError({
        message: `Invalid router setting ${where}: both ${key} and ${target} are given with different values`,
        param: `${where}.${target}`,
      });
    }
    out[target] = value;
  }
  return out;
}
