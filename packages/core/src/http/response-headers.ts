/**
 * undici's raw header list (name, value, name, value…) as one string per
 * lower-cased name; repeated headers joined with ", " (as {@link flattenHeaders}
 * does with undici's parsed headers).
 */
export function headersFromRaw(raw: (Buffer | string)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const key = (typeof name === 'string' ? name : name.toString('latin1')).toLowerCase();
    const text = typeof value === 'string' ? value : value.toString('latin1');
    if (Object.hasOwn(out, key)) out[key] = `${out[key]}, ${text}`;
    else if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: text,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = text;
  }
  return out;
}

/** undici gives `string | string[]` per header; callers want one string. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
