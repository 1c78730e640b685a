/** The vLLM emulator's engine model: prefix cache, max_num_seqs queueing, and the metrics that report them. */
import { afterEach, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator, type VllmEmulatorOptions } from '../src/index';

let emu: VllmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
async function start(options: VllmEmulatorOptions = {}): Promise<VllmEmulator> {
  emu = await startVllmEmulator({ model: 'm', ...options });
  return emu;
}

function chat(messages: unknown[], extra: Record<string, unknown> = {}, signal?: AbortSignal) {
  return fetch(`${emu!.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages, max_tokens: 4, ...extra }),
    signal,
  });
}

/** Every sample of `/metrics` by series name (labels dropped). */
async function metrics(): Promise<Record<string, number>> {
  const text = await (await fetch(`${emu!.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const name = line.slice(0, line.indexOf('{'));
    out[name] = (out[name] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

/** Polls `/metrics` (each poll is a real request, no timer) until `ok` holds. */
async function metricsUntil(ok: (m: Record<string, number>) => boolean) {
  for (let i = 0; i < 500; i++) {
    const m = await metrics();
    if (ok(m)) return m;
  }
  throw new Error('metrics never reached the expected state');
}

const words = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

describe('prefix cache', () => {
  it('counts queried and hit tokens, and a conversation turn reuses the previous turn', async () => {
    await start({ prefixCache: { blockSize: 16 } });
    const turn1 = [{ role: 'user', content: words(100, 'a') }];
    expect((await chat(turn1)).status).toBe(200);
    const cold = await metrics();
    expect(cold['vllm:prefix_cache_queries_total']).toBeGreaterThanOrEqual(100);
    expect(cold['vllm:prefix_cache_hits_total']).toBe(0);
    const turn2 = [
      ...turn1,
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: words(20, 'b') },
    ];
    expect((await chat(turn2)).status).toBe(200);
    const warm = await metrics();
    // The first turn's full blocks (at least 96 of its 100+ tokens) came from the cache.
    expect(warm['vllm:prefix_cache_hits_total']).toBeGreaterThanOrEqual(96);
    expect(warm['vllm:gpu_prefix_cache_hits_total']).toBe(warm['vllm:prefix_cache_hits_total']);
    // A prompt with a different start shares nothing, even with the same later text.
    expect((await chat([{ role: 'user', content: `x ${words(100, 'a')}` }])).status).toBe(200);
    expect((await metrics())['vllm:prefix_cache_hits_total']).toBe(
      warm['vllm:prefix_cache_hits_total'],
    );
  });

  it('keeps the generated answer cached too, so the next turn that resends it hits', async () => {
    const reply = words(64, 'r');
    await start({ prefixCache: { blockSize: 16 }, scripted: { text: reply } });
    const turn1 = [{ role: 'user', content: words(20, 'q') }];
    const answer = (await (await chat(turn1, { max_tokens: 64 })).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(answer.choices[0]?.message.content).toBe(reply);
    await (
      await chat([
        ...turn1,
        { role: 'assistant', content: reply },
        { role: 'user', content: 'more' },
      ])
    ).json();
    // Prompt (~23 tokens) plus the 64-token answer: five full blocks, not just the prompt's one.
    expect((await metrics())['vllm:prefix_cache_hits_total']).toBeGreaterThanOrEqual(80);
  });

  it('cuts the time to first token by the cached share of the prompt', async () => {
    await start({ prefixCache: true, ttftMs: 600 });
    const messages = [{ role: 'user', content: words(200, 'c') }];
    let t0 = performance.now();
    await (await chat(messages)).json();
    const coldMs = performance.now() - t0;
    t0 = performance.now();
    await (await chat(messages)).json();
    const warmMs = performance.now() - t0;
    expect(coldMs).toBeGreaterThanOrEqual(590);
    // ~8 of ~205 tokens uncached: about 25 ms of prefill instead of 600.
    expect(warmMs).toBeLessThan(300);
  });

  it('is bounded: least recently used blocks are evicted', async () => {
    await start({ prefixCache: { blocks: 8, blockSize: 16 } });
    const first = [{ role: 'user', content: words(128, 'd') }];
    await (await chat(first)).json();
    await (await chat([{ role: 'user', content: words(128, 'e') }])).json();
    const before = (await metrics())['vllm:prefix_cache_hits_total'];
    await (await chat(first)).json();
    expect((await metrics())['vllm:prefix_cache_hits_total']).toBe(before);
  });

  it('is off by default', async () => {
    await start();
    const messages = [{ role: 'user', content: words(64, 'f') }];
    await (await chat(messages)).json();
    await (await chat(messages)).json();
    const m = await metrics();
    expect(m['vllm:prefix_cache_hits_total']).toBe(0);
    expect(m['vllm:prefix_cache_queries_total']).toBe(0);
  });

  it('rejects a bad size with the field named', async () => {
    await expect(startVllmEmulator({ prefixCache: { blocks: 0 } })).rejects.toThrow(
      /prefixCache.blocks must be a positive integer/,
    );
    await expect(startVllmEmulator({ maxNumSeqs: 1.5 })).rejects.toThrow(/maxNumSeqs/);
  });
});

describe('max_num_seqs', () => {
  it('queues requests beyond the limit and reports them as waiting', async () => {
    await start({ maxNumSeqs: 1, ttftMs: 60_000 });
    const holder = new AbortController();
    const first = await chat([{ role: 'user', content: 'hold' }], { stream: true }, holder.signal);
    const reader = first.body!.getReader();
    await reader.read(); // the role chunk: the first request is running
    const second = chat([{ role: 'user', content: 'next' }], { max_tokens: 2 });
    const busy = await metricsUntil(m => m['vllm:num_requests_waiting'] === 1);
    expect(busy['vllm:num_requests_running']).toBe(1);
    expect(busy['vllm:kv_cache_usage_perc']).toBeGreaterThan(0);
    // A client that leaves frees its slot: the queued request runs (and waits its ttft).
    holder.abort();
    await reader.cancel().catch(() => undefined);
    const after = await metricsUntil(m => m['vllm:num_requests_waiting'] === 0);
    expect(after['vllm:num_requests_running']).toBe(1);
    await emu!.close();
    emu = undefined;
    await second.catch(() => undefined);
  });

  it('a waiting client that leaves gives up its place in the queue', async () => {
    await start({ maxNumSeqs: 1, ttftMs: 60_000 });
    const holder = new AbortController();
    const first = await chat([{ role: 'user', content: 'hold' }], { stream: true }, holder.signal);
    const reader = first.body!.getReader();
    await reader.read();
    const leaving = new AbortController();
    const second = chat([{ role: 'user', content: 'leave' }], {}, leaving.signal).catch(e => e);
    await metricsUntil(m => m['vllm:num_requests_waiting'] === 1);
    leaving.abort();
    await second;
    const m = await metricsUntil(x => x['vllm:num_requests_waiting'] === 0);
    expect(m['vllm:num_requests_running']).toBe(1);
    holder.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe('streams a client leaves', () => {
  it('stop running at once and count as aborted (finished_reason="abort")', async () => {
    // One token a second: the streams are held open, as a slow model holds them.
    await start({ tokensPerSecond: 1 });
    const clients = [new AbortController(), new AbortController(), new AbortController()];
    const readers = await Promise.all(
      clients.map(async c => {
        const res = await chat(
          [{ role: 'user', content: 'slow' }],
          { stream: true, max_tokens: 60 },
          c.signal,
        );
        const reader = res.body!.getReader();
        await reader.read(); // the role chunk: this stream is running
        return reader;
      }),
    );
    expect((await metrics())['vllm:num_requests_running']).toBe(3);
    const finished = await chat([{ role: 'user', content: 'short' }], { max_tokens: 1 });
    expect(finished.status).toBe(200);
    for (const c of clients) c.abort();
    for (const r of readers) await r.cancel().catch(() => undefined);
    // Unaborted, they would run for a minute; the engine lets go of all three at once.
    await metricsUntil(m => m['vllm:num_requests_running'] === 0);
    const text = await (await fetch(`${emu!.url}/metrics`)).text();
    expect(text).toMatch(/vllm:request_success_total\{finished_reason="abort",[^}]*\} 3\.0\n/);
    expect(text).toMatch(/vllm:request_success_total\{finished_reason="length",[^}]*\} 1\.0\n/);
  });
});
