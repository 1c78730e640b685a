/**
 * Formats a number the way Python's `repr(float)` does, since the vLLM
 * backend writes embeddings with `json.dumps`: shortest round-trip digits,
 * `.0` on whole numbers, and exponent form below 1e-4 or from 1e16 with a
 * two-digit exponent (`1e-05`).
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (value !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** `json.dumps` of a float list: `[a, b, c]` with Python's separators. */
export function pythonFloatList(values: readonly number[]): string {
  return `[${values.map(pythonFloat).join(', ')}]`;
}
