/**
 * The pieces of a "plain request" check: a cheap test, per field, that a
 * request body is of an everyday shape its zod schema certainly accepts
 * unchanged, so a caller on the hot path can skip the schema. Shared by the
 * chat check here and the Responses check in `@switchyard/api-shapes`, so
 * both treat unknown, unusual and hostile fields (`__proto__`, `valueOf`)
 * the same way.
 */

/** Accepts only values the full schema accepts for one field. */
export type FieldCheck = (value: unknown) => boolean;

/** True for `null` and `undefined` (a field a request may leave out or null). */
export const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;

/** Absent, or a finite number in `[min, max]` (an integer when `int`). */
export const numberField =
  (min: number, max: number, int = false): FieldCheck =>
  v =>
    isNullish(v) ||
    (typeof v === 'number' &&
      v >= min &&
      v <= max &&
      (int ? Number.isInteger(v) : Number.isFinite(v)));

/** Absent, or a boolean. */
export const booleanField: FieldCheck = v => isNullish(v) || typeof v === 'boolean';

/** Absent, or a string. */
export const stringField: FieldCheck = v => isNullish(v) || typeof v === 'string';

/** True for an object literal (or a null-prototype object), nothing else. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Options for {@link plainFieldsPass}. */
export interface PlainFieldsOptions {
  /** The fields with a cheap check. A Map: a field named `__proto__` finds nothing. */
  checks: ReadonlyMap<string, FieldCheck>;
  /** Every field the full schema knows: one of them without a cheap check is not plain. */
  schemaFields: ReadonlySet<string>;
  /** Fields the caller has checked itself (e.g. `model`, `messages`). */
  skip: ReadonlySet<string>;
}

/**
 * True when every field of `body` either passes its cheap check or is
 * unknown to the schema (kept as given by both paths). False does not mean
 * invalid: the caller sends the body to the schema for the verdict.
 */
export function plainFieldsPass(
  body: Record<string, unknown>,
  options: PlainFieldsOptions,
): boolean {
  for (const key in body) {
    if (options.skip.has(key)) continue;
    const check = options.checks.get(key);
    if (check === undefined) {
      if (options.schemaFields.has(key)) return false;
      continue;
    }
    if (!check(body[key])) return false;
  }
  return true;
}
