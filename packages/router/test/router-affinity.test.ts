import type { VllmEmulator } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../src/index';
import { holdStream, prefixHits, words } from './engine-helpers';
import { deploymentFor, startEmulators, vllmInvoke } from './helpers';

let emus: VllmEmulator[];
const routers: Router[] = [];

beforeAll(async () => {
  emus = await startEmulators(5, { prefixCache: { blockSize: 16 } });
});
afterAll(async () => {
  await Promise.all(emus.map(e => e.close()));
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map(r => r.close()));
  for (const e of emus) e.requests.clear();
});

function router(count: number, extra: Record<string, unknown>, skip?: number): Router {
  const list = emus
    .slice(0, count)
    .map((e, i) => deploymentFor(e, 'g', `d${i}`))
    .filter((_, i) => i !== skip);
  const r = new Router({ model_list: list, invoke: vllmInvoke, ...extra });
  routers.push(r);
  return r;
}

const ask = (content: string) => ({
  model: 'g',
  messages: [{ role: 'user' as const, content }],
  max_tokens: 3,
});

describe('session-affinity', () => {
  it('keeps every request of a session on one deployment, whichever key source carries it', async () => {
    const r = router(4, { routing_strategy: 'session-affinity' });
    const seen = new Map<string, Set<string>>();
    const note = (session: string, id: string | undefined) => {
      const set = seen.get(session) ?? new Set();
      set.add(id!);
      seen.set(session, set);
    };
    for (let turn = 0; turn < 3; turn++) {
      for (let s = 0; s < 12; s++) {
        const byMetadata = await r.completion({
          ...ask(`t${turn}`),
          metadata: { session_id: `m${s}` },
        });
        note(`m${s}`, byMetadata.routing.deploymentId);
        const byHeader = await r.completion(ask(`t${turn}`), {
          headers: { 'X-Session-Id': `h${s}` },
        });
        note(`h${s}`, byHeader.routing.deploymentId);
        const byUser = await r.completion({ ...ask(`t${turn}`), user: `u${s}` });
        note(`u${s}`, byUser.routing.deploymentId);
      }
    }
    for (const ids of seen.values()) expect(ids.size).toBe(1);
    // The sessions spread over the replicas rather than piling onto one.
    const used = new Set([...seen.values()].map(ids => [...ids][0]));
    expect(used.size).toBeGreaterThanOrEqual(3);
    // metadata never reaches the upstream
    expect(
      emus.some(e => e.requests.entries.some(x => (x.body as { metadata?: unknown })?.metadata)),
    ).toBe(false);
  });

  it('moves only the sessions of a deployment that is added or removed', async () => {
    const sessions = Array.from({ length: 400 }, (_, i) => `session-${i}`);
    const place = async (r: Router) => {
      const out: string[] = [];
      for (const s of sessions)
        out.push((await r.pickDeployment('g', { model: 'g' }, { metadata: { session_id: s } })).id);
      return out;
    };
    const four = await place(router(4, { routing_strategy: 'session-affinity' }));
    const five = await place(router(5, { routing_strategy: 'session-affinity' }));
    const moved = sessions.filter((_, i) => four[i] !== five[i]);
    // Every moved session moved to the new replica, and about a fifth moved.
    expect(moved.every(s => five[sessions.indexOf(s)] === 'd4')).toBe(true);
    expect(moved.length).toBeGreaterThan(400 * 0.1);
    expect(moved.length).toBeLessThan(400 * 0.3);
    const withoutD1 = await place(router(4, { routing_strategy: 'session-affinity' }, 1));
    sessions.forEach((_, i) => {
      if (four[i] !== 'd1') expect(withoutD1[i]).toBe(four[i]);
      else expect(withoutD1[i]).not.toBe('d1');
    });
  });

  it('without a session key, picks the least busy deployment', async () => {
    const r = router(2, { routing_strategy: 'session-affinity' });
    const held = await holdStream(r, ask('no key'));
    const next = await r.completion(ask('no key either'));
    expect(next.routing.deploymentId).not.toBe(held.deploymentId);
    await held.release();
  });

  it('rejects a session_key it cannot read, naming the field', () => {
    expect(
      () =>
        new Router({
          model_list: [deploymentFor(emus[0]!, 'g', 'd0')],
          invoke: vllmInvoke,
          routing_strategy: 'session-affinity',
          routing_strategy_args: { session_key: 'cookie:sid' },
        }),
    ).toThrow(
      /routing_strategy_args\.session_key: expected "header:<name>", "user", "metadata.<field>"/,
    );
  });
});

describe('prefix-affinity', () => {
  it("sends a conversation's next turn to the replica that served the last one, where the prefix is cached", async () => {
    const r = router(4, { routing_strategy: 'prefix-affinity' });
    const before = await Promise.all(emus.map(prefixHits));
    const conversations = Array.from({ length: 6 }, (_, c) => [
      { role: 'system' as const, content: 'You are terse.' },
      { role: 'user' as const, content: words(120, `conv${c}-`) },
    ]);
    const first: string[] = [];
    for (const messages of conversations) {
      const res = await r.completion({ model: 'g', messages, max_tokens: 8 });
      first.push(res.routing.deploymentId!);
      messages.push(
        { role: 'assistant' as never, content: res.data.choices[0]!.message.content! },
        { role: 'user', content: words(30, 'follow-up-') },
      );
    }
    for (const [c, messages] of conversations.entries()) {
      const res = await r.completion({ model: 'g', messages, max_tokens: 8 });
      expect(res.routing.deploymentId).toBe(first[c]);
    }
    const after = await Promise.all(emus.map(prefixHits));
    // Each second turn hit the cache of its replica: at least the first turn's full blocks.
    const gained = after.map((h, i) => h - before[i]!);
    for (const id of new Set(first)) {
      const i = Number(id.slice(1));
      const turns = first.filter(x => x === id).length;
      expect(gained[i]).toBeGreaterThanOrEqual(turns * 112);
    }
    expect(gained[4]).toBe(0);
  });

  it('leaves the replica holding the prefix when it is busier than max_load_imbalance allows', async () => {
    const r = router(3, {
      routing_strategy: 'prefix-affinity',
      routing_strategy_args: { max_load_imbalance: 1 },
    });
    const messages = [{ role: 'user' as const, content: words(100, 'busy-') }];
    const owner = (await r.completion({ model: 'g', messages, max_tokens: 2 })).routing
      .deploymentId;
    // Two requests for the same prefix stay on the owner: 0, then 1 in flight is within the limit.
    const a = await holdStream(r, { model: 'g', messages, max_tokens: 2 });
    const b = await holdStream(r, { model: 'g', messages, max_tokens: 2 });
    expect([a.deploymentId, b.deploymentId]).toEqual([owner, owner]);
    // Now the owner has 2 in flight, the others 0: over the limit, so load decides.
    const overflow = await r.completion({ model: 'g', messages, max_tokens: 2 });
    expect(overflow.routing.deploymentId).not.toBe(owner);
    await a.release();
    await b.release();
  });

  // 40 conversations × 4 turns on 4 replicas: the busiest replica within
  // 1.25× its fair share, and at least 90 % of conversations on one replica,
  // whether requests come one at a time (nothing in flight, so load cannot
  // tell replicas apart) or eight conversations at once.
  const CONVERSATIONS = 40;
  const TURNS = 4;

  // Every conversation starts with the same system prompt, longer than a
  // chunk: the replica that served it first holds it, and must not attract
  // every new conversation for that.
  const system = `You are terse. ${words(50, 'rule-')}`;

  function opening(c: number) {
    return [
      { role: 'system' as const, content: system },
      { role: 'user' as const, content: words(60, `conv${c}-turn0-`) },
    ];
  }

  function nextTurn(messages: ReturnType<typeof opening>, c: number, turn: number) {
    messages.push(
      { role: 'assistant' as never, content: `answer ${turn}` },
      { role: 'user', content: words(30, `conv${c}-turn${turn + 1}-`) },
    );
  }

  function expectBalancedAndSticky(placed: string[][]) {
    const perReplica = new Map<string, number>();
    for (const ids of placed)
      for (const id of ids) perReplica.set(id, (perReplica.get(id) ?? 0) + 1);
    const fair = (CONVERSATIONS * TURNS) / 4;
    expect(Math.max(...perReplica.values()), JSON.stringify([...perReplica])).toBeLessThanOrEqual(
      1.25 * fair,
    );
    const sticky = placed.filter(ids => new Set(ids).size === 1).length;
    expect(sticky / CONVERSATIONS).toBeGreaterThanOrEqual(0.9);
  }

  it('spreads new conversations sent one at a time evenly, each staying on its replica', async () => {
    const r = router(4, { routing_strategy: 'prefix-affinity' });
    const placed: string[][] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      const messages = opening(c);
      const ids: string[] = [];
      for (let turn = 0; turn < TURNS; turn++) {
        const res = await r.completion({ model: 'g', messages, max_tokens: 2 });
        ids.push(res.routing.deploymentId!);
        nextTurn(messages, c, turn);
      }
      placed.push(ids);
    }
    expectBalancedAndSticky(placed);
    // One at a time, holdings alone decide: exactly ten conversations each.
    const firsts = placed.map(ids => ids[0]!);
    for (const id of new Set(firsts)) expect(firsts.filter(x => x === id)).toHaveLength(10);
  });

  it('spreads them as evenly with eight conversations in flight at once', async () => {
    const r = router(4, { routing_strategy: 'prefix-affinity' });
    const placed: string[][] = [];
    type Live = {
      c: number;
      turn: number;
      messages: ReturnType<typeof opening>;
      held: Awaited<ReturnType<typeof holdStream>>;
    };
    const open = async (c: number, turn: number, messages: ReturnType<typeof opening>) => {
      const held = await holdStream(r, { model: 'g', messages, max_tokens: 2 });
      placed[c]!.push(held.deploymentId);
      return { c, turn, messages, held };
    };
    const live: Live[] = [];
    let started = 0;
    const start = async () => {
      const c = started++;
      placed[c] = [];
      live.push(await open(c, 0, opening(c)));
    };
    for (let i = 0; i < 8; i++) await start();
    // Round robin over the live conversations: the oldest request ends, and
    // its conversation sends its next turn (or a new conversation starts)
    // while the other seven are still in flight.
    while (live.length > 0) {
      const done = live.shift()!;
      await done.held.release();
      if (done.turn + 1 < TURNS) {
        nextTurn(done.messages, done.c, done.turn);
        live.push(await open(done.c, done.turn + 1, done.messages));
      } else if (started < CONVERSATIONS) await start();
    }
    expectBalancedAndSticky(placed);
  });

  it('with no prefix in common, balances by load', async () => {
    const r = router(2, { routing_strategy: 'prefix-affinity' });
    const held = await holdStream(r, ask(words(80, 'p-')));
    const next = await r.completion(ask(words(80, 'q-')));
    expect(next.routing.deploymentId).not.toBe(held.deploymentId);
    await held.release();
  });

  it('shared: true without Redis is a configuration error', () => {
    expect(
      () =>
        new Router({
          model_list: [deploymentFor(emus[0]!, 'g', 'd0')],
          invoke: vllmInvoke,
          routing_strategy: 'prefix-affinity',
          routing_strategy_args: { shared: true },
        }),
    ).toThrow(/routing_strategy_args\.shared/);
    expect(
      () =>
        new Router({
          model_list: [deploymentFor(emus[0]!, 'g', 'd0')],
          invoke: vllmInvoke,
          routing_strategy: 'prefix-affinity',
          routing_strategy_args: { chunk_size: 0 },
        }),
    ).toThrow(/routing_strategy_args\.chunk_size: expected an integer >= 1, got number 0/);
  });
});
