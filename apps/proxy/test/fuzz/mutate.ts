import fc from 'fast-check';
import { hazardKey, hostileValue } from './arbitraries';
import { type JsonKey, JsonObject, type JsonTree, keyName } from './json-text';

/** A path into a tree: object keys and array indexes. */
type Path = ReadonlyArray<string | number>;

/** A valid body with one thing wrong, and the field at fault in the proxy's spelling. */
export interface Mutated {
  tree: JsonTree;
  /** `messages[0].content`, as an error's `param` names it. */
  field: string;
  /** The top-level field: a 400 must name it (or a field inside it). */
  rootField: string;
  how: 'replace' | 'remove' | 'add';
}

/** Every node below the root, with its path. */
function nodes(tree: JsonTree, path: Path = []): Path[] {
  const below: Array<[string | number, JsonTree]> =
    tree instanceof JsonObject
      ? tree.entries.map(([k, v]) => [keyName(k), v])
      : Array.isArray(tree)
        ? tree.map((v, i) => [i, v])
        : [];
  return below.flatMap(([k, v]) => [[...path, k], ...nodes(v, [...path, k])]);
}

/** The tree with the node at `path` passed through `change` (undefined removes it). */
function edit(
  tree: JsonTree,
  path: Path,
  change: (node: JsonTree) => JsonTree | undefined,
): JsonTree {
  if (path.length === 0) return change(tree) ?? null;
  const [head, ...rest] = path;
  if (tree instanceof JsonObject) {
    const entries: Array<readonly [JsonKey, JsonTree]> = [];
    for (const [k, v] of tree.entries) {
      if (keyName(k) !== head) entries.push([k, v]);
      else if (rest.length > 0) entries.push([k, edit(v, rest, change)]);
      else {
        const next = change(v);
        if (next !== undefined) entries.push([k, next]);
      }
    }
    return new JsonObject(entries);
  }
  if (Array.isArray(tree)) {
    const copy = [...tree];
    const i = head as number;
    if (rest.length > 0) copy[i] = edit(copy[i]!, rest, change);
    else {
      const next = change(copy[i]!);
      if (next === undefined) copy.splice(i, 1);
      else copy[i] = next;
    }
    return copy;
  }
  return tree;
}

/** `messages[0].content` from `['messages', 0, 'content']`. */
export function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * A valid body with one field replaced by a hostile value, removed, or
 * joined by a sibling under a hazardous or random key: the likeliest way
 * to reach code past validation.
 */
export function mutation(valid: JsonObject): fc.Arbitrary<Mutated> {
  const paths = nodes(valid);
  const objectPaths: Path[] = [[], ...paths.filter(p => nodeAt(valid, p) instanceof JsonObject)];
  const replace = fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) =>
    made(
      edit(valid, path, () => value),
      path,
      'replace',
    ),
  );
  const remove = fc.constantFrom(...paths).map(path =>
    made(
      edit(valid, path, () => undefined),
      path,
      'remove',
    ),
  );
  const add = fc
    .tuple(fc.constantFrom(...objectPaths), hazardKey, hostileValue)
    .map(([path, key, value]) =>
      made(
        edit(valid, path, node => new JsonObject([...(node as JsonObject).entries, [key, value]])),
        [...path, keyName(key)],
        'add',
      ),
    );
  return fc.oneof({ weight: 3, arbitrary: replace }, remove, add);
}

function made(tree: JsonTree, path: Path, how: Mutated['how']): Mutated {
  return { tree, field: fieldName(path), rootField: String(path[0]), how };
}

function nodeAt(tree: JsonTree, path: Path): JsonTree | undefined {
  let node: JsonTree | undefined = tree;
  for (const p of path) {
    if (node instanceof JsonObject) node = node.entries.find(([k]) => keyName(k) === p)?.[1];
    else if (Array.isArray(node)) node = node[p as number];
    else return undefined;
  }
  return node;
}
