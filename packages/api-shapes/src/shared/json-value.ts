/**
 * A value as `JSON.stringify` writes it inside an object, for event text
 * put together from templates: null, booleans and finite numbers without a
 * call (on Node 20 `JSON.stringify` costs about a microsecond even for a
 * small object), anything else serialised. Not for `undefined`: an object
 * leaves such a key out, which the caller's template must do itself.
 */
export function jsonValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  return JSON.stringify(v);
}

/**
 * `JSON.stringify(object)` for a flat object made with the given keys, in
 * that order (as the function that made it sets them, any of them left
 * out), written field by field with {@link jsonValue} instead of
 * serialised; an object whose own keys come in another order or are not
 * all among `keys` is serialised as it is.
 */
export function jsonFields(object: Record<string, unknown>, keys: readonly string[]): string {
  let json = '';
  let at = 0;
  for (const key in object) {
    while (at < keys.length && keys[at] !== key) at++;
    if (at === keys.length) return JSON.stringify(object);
    at++;
    const v = object[key];
    // JSON leaves such a key out.
    if (v === undefined) continue;
    json += `${json === '' ? '{' : ','}"${key}":${jsonValue(v)}`;
  }
  return json === '' ? '{}' : `${json}}`;
}
