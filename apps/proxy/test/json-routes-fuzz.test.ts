import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable } from '../src/server/route-table';
import { problemWith, send } from './fuzz/check-answer';
import { fuzzRequest } from './fuzz/fuzz-request';
import { type FuzzStack, startFuzzStack } from './fuzz/fuzz-stack';
import { NOT_FUZZED, ROUTE_TARGETS } from './fuzz/route-targets';
import { auth, get, post } from './helpers';
import { spendRows } from './spend-traffic';

// Seeded so a failure replays; FUZZ_SEED / FUZZ_RUNS explore further (bench/fuzz.mjs runs longer).
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

describe('the fuzz and the route table', () => {
  it('covers every route the proxy serves, and names only routes that exist', () => {
    const names = new Set(
      [...buildRouteTable({ metricsNeedAuth: false }).values()].map(e => e.name),
    );
    const fuzzed = new Set(ROUTE_TARGETS.map(t => t.route));
    const uncovered = [...names].filter(n => !fuzzed.has(n) && !(n in NOT_FUZZED));
    expect(uncovered, 'routes neither fuzzed nor listed in NOT_FUZZED').toEqual([]);
    expect([...fuzzed].filter(n => !names.has(n))).toEqual([]);
    for (const t of ROUTE_TARGETS) {
      const def = buildRouteTable({ metricsNeedAuth: false }).get(t.route)!.def;
      expect([...t.methods].sort(), t.route).toEqual([...(def.methods ?? [def.method])].sort());
      const sample = { error: { message: 'm', type: 't', param: null, code: '400' } };
      const shaped = def.errorBody?.(400, sample) as { type?: string } | undefined;
      expect(t.shape, t.route).toBe(shaped?.type === 'error' ? 'anthropic' : 'openai');
    }
  });
});

/**
 * Hostile requests to every JSON route — any JSON, valid bodies with one
 * field replaced, removed or joined by `__proto__` and friends, malformed
 * text, wrong content types and methods, hostile path and query
 * parameters — from the master key, a virtual key, nobody and an unknown
 * key. Every answer: no 5xx, JSON in the route's own error shape, a 400
 * names the changed field; afterwards the proxy serves and bills as before.
 */
describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('fuzz of every JSON route on the %s', (_name, postgres) => {
  let stack: FuzzStack;

  beforeAll(async () => {
    stack = await startFuzzStack({ postgres });
  }, 120_000);
  afterAll(() => stack?.close());

  it('answers every request in its own error shape, without a 5xx', async () => {
    const base = stack.proxy.url;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequest(ROUTE_TARGETS, stack.fixtures), async r => {
        sent++;
        const problem = problemWith(r, await send(base, r, stack.keys));
        if (problem) {
          const body = r.body && r.body.length > 400 ? `${r.body.slice(0, 400)}…` : r.body;
          throw new Error(
            `${r.method} ${r.path.slice(0, 300)} as ${r.caller} (${r.kind}; ${r.contentType}) ${body}\n→ ${problem}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    expect((await get(base, '/health/liveliness')).status).toBe(200);
  }, 120_000);

  // 60 s: two spend flushes and a chat take seconds each on the embedded store when the whole suite runs at once.
  it('afterwards a normal request on the same key writes exactly one spend row', async () => {
    const base = stack.proxy.url;
    const key = stack.keys.virtual;
    await stack.proxy.keys!.spend!.flush();
    const before = await spendRows(base, stack.keys.master, key);
    const answer = await post(
      base,
      '/v1/chat/completions',
      { model: 'chat', messages: [{ role: 'user', content: 'after the fuzz' }], max_tokens: 2 },
      auth(key),
    );
    expect(answer.status).toBe(200);
    const callId = answer.headers['x-litellm-call-id'];
    await stack.proxy.keys!.spend!.flush();
    const after = await spendRows(base, stack.keys.master, key);
    expect(after.length).toBe(before.length + 1);
    expect(after.filter(row => row.litellm_call_id === callId)).toHaveLength(1);
    // Nothing the fuzz sent was refused by the database and set aside.
    const metrics = await get(base, '/metrics', auth(stack.keys.master));
    expect(metrics.body).toContain('\nswitchyard_spend_dead_letter_rows_total 0\n');
  }, 60_000);
});
