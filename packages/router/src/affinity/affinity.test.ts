import { describe, expect, it } from 'vitest';
import { HashRing } from './hash-ring';
import { prefixHashes } from './prefix-chunks';
import { MemoryPrefixIndex } from './prefix-index';

const chunks = { chunkSize: 8, maxChunks: 100 };

describe('prefix hashes', () => {
  it('are chained: a longer conversation starts with the shorter one’s hashes', () => {
    const turn1 = { messages: [{ role: 'user', content: 'a'.repeat(40) }] };
    const turn2 = {
      messages: [...turn1.messages, { role: 'assistant', content: 'b'.repeat(30) }],
    };
    const h1 = prefixHashes(turn1, 'g', chunks);
    const h2 = prefixHashes(turn2, 'g', chunks);
    expect(h1.length).toBeGreaterThan(3);
    expect(h2.slice(0, h1.length)).toEqual(h1);
    // Same text in another group, or with another first character, shares nothing.
    expect(prefixHashes(turn1, 'other', chunks)[0]).not.toBe(h1[0]);
    // A change ends the shared prefix: the chunk holding it and every later one differ.
    const changed = { messages: [{ role: 'user', content: `x${'a'.repeat(39)}` }] };
    const hc = prefixHashes(changed, 'g', chunks);
    expect(hc[0]).toBe(h1[0]); // group name and role only
    expect(hc.slice(1).some(h => h1.includes(h))).toBe(false);
  });

  it('cover text prompts, stop at max_chunks, and skip a partial last chunk', () => {
    expect(
      prefixHashes({ prompt: 'x'.repeat(100) }, 'g', { chunkSize: 10, maxChunks: 4 }),
    ).toHaveLength(4);
    expect(prefixHashes({ prompt: 'short' }, 'g', { chunkSize: 64, maxChunks: 4 })).toEqual([]);
    expect(prefixHashes({ input: 'embeddings' }, 'g', chunks)).toEqual([]);
  });
});

describe('MemoryPrefixIndex', () => {
  it('reports each owner’s deepest matched chunk and evicts the least recently used', () => {
    const index = new MemoryPrefixIndex({ maxEntries: 4, maxOwners: 2 });
    index.record([1, 2, 3], 'a');
    index.record([1, 2], 'b');
    expect(index.match([1, 2, 3, 4])).toEqual(
      new Map([
        ['b', 2],
        ['a', 3],
      ]),
    );
    index.record([1, 9], 'c'); // chunk 1 now has owners c, b (a dropped: two owners kept)
    expect(index.match([1]).has('a')).toBe(false);
    expect(index.size).toBe(4);
    index.record([7], 'd'); // evicts the least recently recorded: chunk 3
    expect(index.match([1, 2, 3]).get('a')).toBe(2);
  });

  it('counts the chunks each owner holds as owners are added, dropped and evicted', () => {
    const index = new MemoryPrefixIndex({ maxEntries: 4, maxOwners: 2 });
    index.record([1, 2, 3], 'a');
    index.record([1, 2, 3], 'a'); // recorded again: nothing new held
    expect(index.held('a')).toBe(3);
    index.record([1, 2], 'b');
    expect([index.held('a'), index.held('b')]).toEqual([3, 2]);
    index.record([1, 9], 'c'); // chunk 1: c joins, a falls off (two owners kept)
    expect([index.held('a'), index.held('b'), index.held('c')]).toEqual([2, 2, 2]);
    index.record([7], 'd'); // evicts chunk 3, which only a held
    expect([index.held('a'), index.held('d')]).toEqual([1, 1]);
    index.record([8], 'd'); // evicts chunk 2 (a and b)
    expect([index.held('a'), index.held('b'), index.held('d')]).toEqual([0, 1, 2]);
  });
});

describe('HashRing', () => {
  it('places keys identically for the same ids, and walks every id once', () => {
    const a = new HashRing(['x', 'y', 'z'], 50);
    const b = new HashRing(['x', 'y', 'z'], 50);
    for (let i = 0; i < 100; i++) expect(a.owner(`k${i}`)).toBe(b.owner(`k${i}`));
    expect([...a.walk('k1')].sort()).toEqual(['x', 'y', 'z']);
    expect([...a.walk('k1')][0]).toBe(a.owner('k1'));
  });
});
