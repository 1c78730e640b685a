import { hash32 } from './hashing';

/**
 * A consistent-hash ring over deployment ids with virtual nodes. Each id
 * owns `virtualNodes` points; a key belongs to the first point at or after
 * its hash (wrapping). Adding or removing an id therefore moves only the
 * keys of the arcs that id gains or loses — about 1/n of them — and every
 * router built from the same ids places every key identically.
 */
export class HashRing {
  readonly #points: Uint32Array;
  readonly #owners: Uint16Array;
  readonly #ids: readonly string[];

  constructor(ids: readonly string[], virtualNodes: number) {
    const entries: Array<[number, number]> = [];
    ids.forEach((id, index) => {
      for (let v = 0; v < virtualNodes; v++) entries.push([hash32(`${id}#${v}`), index]);
    });
    // Ties (astronomically rare) are broken by id so every instance orders them alike.
    entries.sort((a, b) => a[0] - b[0] || ids[a[1]]!.localeCompare(ids[b[1]]!));
    this.#points = Uint32Array.from(entries, e => e[0]);
    this.#owners = Uint16Array.from(entries, e => e[1]);
    this.#ids = ids;
  }

  /**
   * The ids in the order the ring offers them for `key`: the owner first,
   * then each next distinct id clockwise (the fallback order when the owner
   * is overloaded: the same on every instance).
   */
  *walk(key: string): Generator<string> {
    const n = this.#points.length;
    if (n === 0) return;
    let i = this.#firstAtOrAfter(hash32(key));
    const seen = new Set<number>();
    for (let step = 0; step < n && seen.size < this.#ids.length; step++, i = (i + 1) % n) {
      const owner = this.#owners[i]!;
      if (seen.has(owner)) continue;
      seen.add(owner);
      yield this.#ids[owner]!;
    }
  }

  /** The id that owns `key`. */
  owner(key: string): string | undefined {
    if (this.#points.length === 0) return undefined;
    return this.#ids[this.#owners[this.#firstAtOrAfter(hash32(key))]!];
  }

  #firstAtOrAfter(h: number): number {
    const points = this.#points;
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === points.length ? 0 : lo;
  }
}
