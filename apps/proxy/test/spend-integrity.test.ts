import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index';
import { auth, get, post } from './helpers';
import { chat, type KeysStack, startKeysStack } from './keys-helpers';
import { countRows, mixedTraffic, spendRows } from './spend-traffic';

const MASTER = 'sk-integrity-master';
const PRICES = { input: 0.0001, output: 0.0002 };
// A key hash no key has: rows of an older version, written straight to the log.
const LEGACY_KEY = 'ab'.repeat(32);

/**
 * Spend that cannot be poisoned or skipped, on both stores: strings the
 * database cannot hold and repeated client call ids, mixed with normal
 * traffic, still give every answered request exactly one spend row; budgets
 * hold before and after a restart; and a write-ahead log left stuck by an
 * older version drains, with what the database refuses set aside.
 */
describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('spend integrity on the %s', (_name, postgres) => {
  let stack: KeysStack;
  const logLines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    stack = await startKeysStack({
      postgres,
      masterKey: MASTER,
      prices: PRICES,
      logger: createLogger({ level: 'info', destination }),
    });
  }, 180_000);

  afterAll(() => stack?.close());

  const newKey = async (body: Record<string, unknown>) => {
    const made = await post(stack.proxy.url, '/key/generate', body, auth(MASTER));
    expect(made.status).toBe(200);
    return made.body as { key: string; token: string };
  };
  const keySpend = async (key: string) =>
    (await get(stack.proxy.url, `/key/info?key=${key}`, auth(MASTER))).body.info.spend as number;

  it('poison strings and repeated call ids: one row per answer, budgets hold, before and after a restart', async () => {
    const budget = 0.01;
    const capped = await newKey({
      max_budget: budget,
      key_alias: 'capped 😀',
      user_id: 'u-capped',
    });
    const open = await newKey({ key_alias: 'open' });
    const sent = await mixedTraffic({
      base: stack.proxy.url,
      keys: [capped.key, open.key, capped.key],
      requests: 90,
      concurrency: 6,
    });
    await stack.proxy.keys!.spend!.flush();

    for (const key of [capped.key, open.key]) {
      const mine = sent.filter(s => s.key === key);
      const rows = await spendRows(stack.proxy.url, MASTER, key);
      expect(countRows(mine, rows)).toEqual({ lost: 0, doubled: 0, unanswered: 0 });
      expect(await keySpend(key)).toBeCloseTo(
        rows.reduce((a, r) => a + r.spend, 0),
        10,
      );
    }
    // Poisoned `user` values (400) and model names (404 model_not_found: no such model is
    // served) were refused before anything was reserved or logged.
    expect(sent.filter(s => s.kind === 'poison-user').every(s => s.status === 400)).toBe(true);
    expect(sent.filter(s => s.kind === 'poison-model').every(s => s.status === 404)).toBe(true);
    const cappedCosts = sent.filter(s => s.key === capped.key && s.status === 200).map(s => s.cost);
    const total = cappedCosts.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(budget + Math.max(...cappedCosts) + 1e-12);
    expect(sent.some(s => s.key === capped.key && s.errorType === 'budget_exceeded')).toBe(true);

    const before = await spendRows(stack.proxy.url, MASTER, capped.key);
    const proxy = await stack.restart();
    const refused = await post(proxy.url, '/v1/chat/completions', chat('chat'), auth(capped.key));
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe('budget_exceeded');
    expect(await spendRows(proxy.url, MASTER, capped.key)).toHaveLength(before.length);
    const again = await post(proxy.url, '/v1/chat/completions', chat('chat'), {
      ...auth(open.key),
      'x-litellm-call-id': 'same-id',
    });
    expect(again.status).toBe(200);
  }, 120_000);

  it('a log stuck on rows an older version wrote drains after a restart; refused rows go to the dead-letter file', async () => {
    await stack.stopProxy();
    const walDir = join(stack.dataDir, 'spend-wal');
    await mkdir(walDir, { recursive: true });
    const row = (id: string, extra: Record<string, unknown> = {}) => ({
      request_id: id,
      call_type: 'acompletion',
      api_key: LEGACY_KEY,
      spend: 0.001,
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      startTime: '2025-01-01T00:00:00.000Z',
      endTime: '2025-01-01T00:00:01.000Z',
      completionStartTime: null,
      model: 'chat',
      model_id: null,
      model_group: 'chat',
      api_base: null,
      user: null,
      team_id: null,
      end_user: null,
      status: 'success',
      cost_source: 'model_info',
      latency_ms: 1000,
      metadata: {},
      ...extra,
    });
    // As an older version wrote them: raw NUL and lone surrogates (JSON escapes them).
    const lines = [
      row('legacy-nul', { end_user: 'SECRET-a\u0000b' }),
      row('legacy-lone', {
        end_user: 'SECRET-\ud800x',
        metadata: { user_api_key_alias: '\udc00' },
      }),
      row('legacy-huge', { model: 'SECRET-'.padEnd(1_048_576, 'm') }),
      row('legacy-tokens', { prompt_tokens: 3_000_000_000 }),
      row('legacy-time', { startTime: 'SECRET-not-a-time' }),
      ...Array.from({ length: 20 }, (_, i) => row(`legacy-ok-${i}`)),
    ].map(r => JSON.stringify(r));
    lines.splice(7, 0, '{"request_id": "SECRET-torn');
    await writeFile(
      join(walDir, 'ready-1-legacy-00000000000000000.jsonl'),
      `${lines.join('\n')}\n`,
    );
    logLines.length = 0;

    const proxy = await stack.restart();
    await proxy.keys!.spend!.flush();
    expect((await readdir(walDir)).filter(n => n.startsWith('ready-'))).toEqual([]);
    const rows = await spendRows(proxy.url, MASTER, LEGACY_KEY);
    const ids = rows.map(r => r.request_id).sort();
    expect(ids).toHaveLength(23);
    expect(ids).not.toContain('legacy-tokens');
    expect(ids).not.toContain('legacy-time');
    const byId = new Map(rows.map(r => [r.request_id, r]));
    expect(byId.get('legacy-nul')!.end_user).toBe('SECRET-a\uFFFDb');
    expect(byId.get('legacy-lone')!.end_user).toBe('SECRET-\uFFFDx');
    expect(byId.get('legacy-huge')!.model).toMatch(/…\[truncated: \d+ more characters\]$/);

    const dead = (await readFile(join(stack.dataDir, 'spend-dead-letter.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(dead.map(d => d.reason).sort()).toEqual(['22003', '22007', 'unreadable']);
    expect(dead.find(d => d.reason === '22003').row.request_id).toBe('legacy-tokens');
    const metrics = await get(proxy.url, '/metrics');
    expect(metrics.body).toContain('switchyard_spend_dead_letter_rows_total 3');
    const log = logLines.join('');
    expect(log).toContain('dead-letter file');
    expect(log).not.toContain('SECRET');
  }, 120_000);
});
