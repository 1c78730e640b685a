/**
 * The vLLM emulator's KV events: its prefix cache published over ZeroMQ as
 * vLLM publishes it — stored runs with their token ids (the ids /tokenize
 * gives), evictions, a reset — read back with the kv-events subscriber.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator } from '../src/index';
import { followKvEvents } from './kv-events-helpers';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function start(blocks = 64): Promise<VllmEmulator> {
  const emu = await startVllmEmulator({
    model: 'm',
    prefixCache: { blocks, blockSize: 4 },
    kvEvents: true,
    enablePromptTokensDetails: true,
  });
  open.push(emu);
  return emu;
}

const follow = (emu: VllmEmulator) => followKvEvents(emu, sub => open.push(sub));

async function post(emu: VllmEmulator, path: string, body: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status === 200 && path !== '/reset_prefix_cache' ? res.json() : res.status;
}

const messages = [
  { role: 'system', content: 'you are a careful assistant who answers in short sentences' },
  { role: 'user', content: 'name three rivers of europe please' },
];

describe('vLLM emulator KV events', () => {
  it("publishes stored blocks with /tokenize's token ids, chained by parent hash", async () => {
    const emu = await start();
    const { events, until } = follow(emu);
    const tokens = (await post(emu, '/tokenize', { messages, add_generation_prompt: true })) as {
      tokens: number[];
    };
    const answer = (await post(emu, '/v1/chat/completions', { messages, max_tokens: 5 })) as {
      usage: { prompt_tokens_details: { cached_tokens: number } };
    };
    expect(answer.usage.prompt_tokens_details.cached_tokens).toBe(0);
    await until(() => events.some(e => e.type === 'BlockStored'));
    const first = events.find(e => e.type === 'BlockStored')!;
    if (first.type !== 'BlockStored') throw new Error('unreachable');
    expect(first.parentBlockHash).toBeNull();
    expect(first.blockSize).toBe(4);
    const full = Math.floor(tokens.tokens.length / 4) * 4;
    expect(first.tokenIds).toEqual(tokens.tokens.slice(0, full));
    expect(first.blockHashes).toHaveLength(full / 4);
    // The same prompt again hits every full block; nothing new is stored for it.
    const again = (await post(emu, '/v1/chat/completions', { messages, max_tokens: 5 })) as {
      usage: { prompt_tokens_details: { cached_tokens: number } };
    };
    expect(again.usage.prompt_tokens_details.cached_tokens).toBe(full);
  });

  it('publishes evictions and a reset', async () => {
    const emu = await start(4);
    const { events, until } = follow(emu);
    for (let i = 0; i < 3; i++) {
      await post(emu, '/v1/completions', {
        prompt: `prompt number ${i} with enough words to fill several blocks of four tokens`,
        max_tokens: 2,
      });
    }
    await until(() => events.some(e => e.type === 'BlockRemoved'));
    expect(await post(emu, '/reset_prefix_cache', {})).toBe(200);
    await until(() => events.some(e => e.type === 'AllBlocksCleared'));
    const stored = events.flatMap(e => (e.type === 'BlockStored' ? e.blockHashes : []));
    const removed = events.flatMap(e => (e.type === 'BlockRemoved' ? e.blockHashes : []));
    expect(removed.every(hash => stored.includes(hash))).toBe(true);
  });
});
