/**
 * A JSON value as a fuzzer needs it: objects are entry lists (so a key may
 * be `__proto__`, appear twice, or be spelled with escapes) and a number
 * may be any token JSON's grammar allows (`1e999`, `-0`, thirty digits),
 * none of which a JavaScript object passed to `JSON.stringify` can carry.
 */
export type JsonTree = null | boolean | number | string | JsonRaw | JsonTree[] | JsonObject;

/** An object as the wire spells it: keys in order, repeats allowed. */
export class JsonObject {
  constructor(readonly entries: ReadonlyArray<readonly [JsonKey, JsonTree]>) {}
}

/** Text written as is: a number token, or a key spelled with escapes. */
export class JsonRaw {
  constructor(readonly text: string) {}
}

/** A key: a string (written with `JSON.stringify`) or its raw spelling, quotes included. */
export type JsonKey = string | JsonRaw;

/** The text of a tree. Strings go through `JSON.stringify`, which escapes lone surrogates. */
export function jsonText(tree: JsonTree): string {
  if (tree instanceof JsonRaw) return tree.text;
  if (tree instanceof JsonObject) {
    const parts = tree.entries.map(([k, v]) => `${keyText(k)}:${jsonText(v)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(tree)) return `[${tree.map(jsonText).join(',')}]`;
  return JSON.stringify(tree);
}

function keyText(key: JsonKey): string {
  return key instanceof JsonRaw ? key.text : JSON.stringify(key);
}

/** The key as the server will read it (escapes decoded), for naming the field at fault. */
export function keyName(key: JsonKey): string {
  return key instanceof JsonRaw ? (JSON.parse(key.text) as string) : key;
}

/** A plain value (a valid request body) as a tree. */
export function toTree(value: unknown): JsonTree {
  if (Array.isArray(value)) return value.map(toTree);
  if (value !== null && typeof value === 'object')
    return new JsonObject(Object.entries(value).map(([k, v]) => [k, toTree(v)] as const));
  return value as JsonTree;
}
