/**
 * The wire format both ways (vLLM's array layout and the newer map layout),
 * and a subscriber following a real publisher over loopback ZeroMQ: order,
 * a replayed gap, a gap the replay buffer no longer covers, a restart.
 */
import { Encoder } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import {
  blockKey,
  decodeEventBatch,
  encodeEventBatch,
  type KvEventBatch,
  KvEventPublisher,
  KvEventSubscriber,
  KvWireError,
} from '../src/index';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('wire format', () => {
  it('round-trips the array layout with uint64 and byte hashes', () => {
    const digest = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    const payload = encodeEventBatch({
      ts: 1.5,
      events: [
        {
          type: 'BlockStored',
          blockHashes: [2n ** 63n + 5n, digest],
          parentBlockHash: null,
          tokenIds: [1, 2, 3, 4],
          blockSize: 2,
        },
        { type: 'BlockRemoved', blockHashes: [7] },
        { type: 'AllBlocksCleared' },
      ],
    });
    const batch = decodeEventBatch(payload);
    expect(batch.ts).toBe(1.5);
    expect(batch.dataParallelRank).toBeNull();
    expect(batch.events[0]).toEqual({
      type: 'BlockStored',
      blockHashes: [blockKey(2n ** 63n + 5n), blockKey(digest)],
      parentBlockHash: null,
      tokenIds: [1, 2, 3, 4],
      blockSize: 2,
      loraId: null,
      medium: 'GPU',
      loraName: null,
    });
    expect(batch.events.slice(1)).toEqual([
      { type: 'BlockRemoved', blockHashes: [7], medium: 'GPU' },
      { type: 'AllBlocksCleared' },
    ]);
    expect(blockKey(2n ** 63n + 5n)).toBe(5);
  });

  it('reads the map layout of newer releases', () => {
    const payload = new Encoder({ useBigInt64: true }).encode({
      ts: 2,
      events: [
        {
          type: 'BlockStored',
          block_hashes: [10n],
          parent_block_hash: 9n,
          token_ids: [5, 6],
          block_size: 2,
          lora_id: null,
          medium: 'GPU',
          lora_name: 'adapter',
        },
      ],
      data_parallel_rank: 1,
    });
    const batch = decodeEventBatch(payload);
    expect(batch.dataParallelRank).toBe(1);
    expect(batch.events[0]).toMatchObject({ parentBlockHash: 9, loraName: 'adapter' });
  });

  it('refuses what is not a batch', () => {
    expect(() => decodeEventBatch(Uint8Array.of(0xc1))).toThrow(KvWireError);
    expect(() => decodeEventBatch(new Encoder().encode([1, [['Nope']]]))).toThrow(/unknown event/);
  });
});

/** Collects what a subscriber reports and lets a test wait for it. */
function collector() {
  const seqs: number[] = [];
  const resets: string[] = [];
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  const poke = () => {
    for (const w of waiters.splice(0)) {
      if (w.check()) w.resolve();
      else waiters.push(w);
    }
  };
  return {
    seqs,
    resets,
    handler: {
      onBatch: (_batch: KvEventBatch, seq: number) => {
        seqs.push(seq);
        poke();
      },
      onReset: (reason: 'restart' | 'gap') => {
        resets.push(reason);
        poke();
      },
    },
    until: (check: () => boolean) =>
      new Promise<void>(resolve => {
        if (check()) resolve();
        else waiters.push({ check, resolve });
      }),
  };
}

const stored = (n: number) => [
  {
    type: 'BlockStored' as const,
    blockHashes: [n],
    parentBlockHash: null,
    tokenIds: [n],
    blockSize: 1,
  },
];

async function publisher(bufferSteps?: number) {
  const pub = await KvEventPublisher.bind({
    endpoint: 'tcp://127.0.0.1:*',
    replayEndpoint: 'tcp://127.0.0.1:*',
    bufferSteps,
  });
  open.push(pub);
  return pub;
}

/**
 * A publisher bound again on `endpoint` after the previous one closed. The
 * kernel may still hold the port for a moment on a loaded machine, so a
 * refused bind is tried again, each time after the event loop has turned,
 * up to a bound; any other failure, or the bound, fails the test.
 */
async function rebind(endpoint: string): Promise<KvEventPublisher> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await KvEventPublisher.bind({ endpoint });
    } catch (error) {
      if (attempt >= 200 || !/already in use/i.test(String(error))) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

/** Publishes until the (slow-joining) subscriber has seen something. */
async function join(pub: KvEventPublisher, c: ReturnType<typeof collector>) {
  const ticker = setInterval(() => pub.publish(stored(pub.nextSeq)), 20);
  await c.until(() => c.seqs.length > 0);
  clearInterval(ticker);
}

describe('subscriber', () => {
  it('replays what was published before it joined, then follows in order', async () => {
    const pub = await publisher();
    for (let i = 0; i < 5; i++) pub.publish(stored(i));
    const c = collector();
    const sub = new KvEventSubscriber({
      endpoint: pub.endpoint,
      replayEndpoint: pub.replayEndpoint,
      handler: c.handler,
    });
    open.push(sub);
    await join(pub, c);
    const end = pub.nextSeq + 3;
    for (let i = 0; i < 3; i++) pub.publish(stored(i));
    await c.until(() => c.seqs.at(-1) === end - 1);
    expect(c.seqs).toEqual(Array.from({ length: end }, (_, i) => i));
    expect(c.resets).toEqual([]);
  });

  it('fills a gap from the replay socket, and reports one it cannot fill', async () => {
    const pub = await publisher(3);
    const c = collector();
    const sub = new KvEventSubscriber({
      endpoint: pub.endpoint,
      replayEndpoint: pub.replayEndpoint,
      replayOnConnect: false,
      handler: c.handler,
    });
    open.push(sub);
    await join(pub, c);
    // A batch the subscriber never receives live but the buffer still has.
    const missed = pub.nextSeq;
    pub.publishDropped(stored(0));
    pub.publish(stored(1));
    await c.until(() => c.seqs.includes(missed + 1));
    expect(c.seqs.slice(-2)).toEqual([missed, missed + 1]);
    expect(c.resets).toEqual([]);
    // Four dropped with room for three in the buffer: the first is gone for good.
    for (let i = 0; i < 4; i++) pub.publishDropped(stored(i));
    const last = pub.nextSeq;
    pub.publish(stored(9));
    await c.until(() => c.seqs.includes(last));
    expect(c.resets).toEqual(['gap']);
    expect(c.seqs.slice(-3)).toEqual([last - 2, last - 1, last]);
  });

  it('treats a sequence that goes back as a restart', async () => {
    const first = await publisher();
    const endpoint = first.endpoint;
    const c = collector();
    const sub = new KvEventSubscriber({ endpoint, handler: c.handler });
    open.push(sub);
    await join(first, c);
    // Far enough ahead that the new process's sequence is still behind when it reconnects.
    for (let i = 0; i < 200; i++) first.publish(stored(i));
    await c.until(() => (c.seqs.at(-1) ?? 0) >= 200);
    await first.close();
    const second = await rebind(endpoint);
    open.push(second);
    const ticker = setInterval(() => second.publish(stored(second.nextSeq)), 20);
    await c.until(() => c.resets.includes('restart'));
    clearInterval(ticker);
    expect(c.resets[0]).toBe('restart');
  });
});
