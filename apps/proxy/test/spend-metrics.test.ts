import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from './helpers';
import { chat, type KeysStack, REDIS_URL, redisPrefix, startKeysStack } from './keys-helpers';

const MASTER = 'sk-metrics-master';
const auth = (key = MASTER) => ({ authorization: `Bearer ${key}` });

/** The value of the one series of `name` whose labels include all of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const open = line.indexOf('{');
    const body = open === -1 ? '' : line.slice(open + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries(
      [...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(m => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Scrapes `/metrics` until `check` passes on the text (the spend writer books spend in the background). */
async function scrapeUntil(base: string, check: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 200; i++) {
    text = (await get(base, '/metrics')).body as string;
    if (check(text)) return text;
  }
  throw new Error(`metrics never matched; last scrape:\n${text.slice(0, 2000)}`);
}

const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-9;

describe.each([
  ['the embedded store', false, false],
  ['PostgreSQL', true, false],
  ['PostgreSQL with limits in Redis', true, true],
])('spend and budget metrics on %s', (_name, postgres, redis) => {
  let stack: KeysStack;
  let base: string;

  beforeAll(async () => {
    stack = await startKeysStack({
      postgres,
      masterKey: MASTER,
      general: {
        switchyard_metrics_key_labels: true,
        ...(redis ? { redis_url: REDIS_URL, switchyard_redis_prefix: redisPrefix() } : {}),
      },
    });
    base = stack.proxy.url;
    // Creating an embedded store takes a while on a busy machine; it is no test's subject.
  }, 180_000);
  afterAll(() => stack?.close());

  it('reports spend and what is left of key, team and user budgets, under LiteLLM names', async () => {
    const team = await post(base, '/team/new', { team_alias: 'research', max_budget: 1 }, auth());
    expect(team.status).toBe(200);
    const user = await post(base, '/user/new', { user_id: 'ana', max_budget: 2 }, auth());
    expect(user.status).toBe(200);
    const made = await post(
      base,
      '/key/generate',
      { team_id: team.body.team_id, user_id: 'ana', key_alias: 'ana-research', max_budget: 0.5 },
      auth(),
    );
    expect(made.status).toBe(200);
    const hash: string = made.body.token_id;
    let cost = 0;
    for (const marker of ['one', 'two']) {
      const res = await post(
        base,
        '/v1/chat/completions',
        chat('chat', marker, { user: 'end-7' }),
        auth(made.body.key),
      );
      expect(res.status).toBe(200);
      const priced = Number(res.headers['x-litellm-response-cost']);
      // The emulator's usage at the test prices: a cost the test can check against.
      expect(priced).toBeCloseTo(
        res.body.usage.prompt_tokens * 0.0001 + res.body.usage.completion_tokens * 0.0002,
        12,
      );
      cost += priced;
    }
    const key = { hashed_api_key: hash, api_key_alias: 'ana-research' };
    const teamLabels = { team: team.body.team_id, team_alias: 'research' };
    // One scrape reads the team, key and user tables in turn: wait until all three have the spend.
    const text = await scrapeUntil(
      base,
      t =>
        close(sample(t, 'litellm_remaining_api_key_budget_metric', key), 0.5 - cost) &&
        close(sample(t, 'litellm_remaining_team_budget_metric', teamLabels), 1 - cost) &&
        close(sample(t, 'litellm_remaining_user_budget_metric', { user: 'ana' }), 2 - cost),
    );

    expect(
      sample(text, 'litellm_spend_metric', {
        model: 'chat',
        ...teamLabels,
        ...key,
        user: 'ana',
        end_user: 'end-7',
      }),
    ).toBeCloseTo(cost, 12);
    expect(sample(text, 'litellm_api_key_max_budget_metric', key)).toBe(0.5);
    expect(sample(text, 'litellm_remaining_team_budget_metric', teamLabels)).toBeCloseTo(
      1 - cost,
      12,
    );
    expect(sample(text, 'litellm_team_max_budget_metric', teamLabels)).toBe(1);
    // The user's recorded spend counts the key's calls too (admission checks the team's budget for a team key).
    expect(sample(text, 'litellm_remaining_user_budget_metric', { user: 'ana' })).toBeCloseTo(
      2 - cost,
      12,
    );
    expect(sample(text, 'litellm_user_max_budget_metric', { user: 'ana' })).toBe(2);
    expect(text).toMatch(/^# TYPE litellm_spend_metric counter$/m);
    expect(text).toMatch(/^# TYPE litellm_remaining_api_key_budget_metric gauge$/m);

    // A deleted key's series goes with it.
    expect((await post(base, '/key/delete', { keys: [made.body.key] }, auth())).status).toBe(200);
    const after = await scrapeUntil(
      base,
      t => sample(t, 'litellm_api_key_max_budget_metric', key) === undefined,
    );
    expect(sample(after, 'litellm_remaining_api_key_budget_metric', key)).toBeUndefined();
  });

  it("reports what is left of a key's rpm and tpm limits for the model it calls", async () => {
    const made = await post(
      base,
      '/key/generate',
      { key_alias: 'limited', rpm_limit: 10, tpm_limit: 5000 },
      auth(),
    );
    expect(made.status).toBe(200);
    let tokens = 0;
    for (const marker of ['a', 'b', 'c']) {
      const res = await post(
        base,
        '/v1/chat/completions',
        chat('chat', marker),
        auth(made.body.key),
      );
      expect(res.status).toBe(200);
      tokens += res.body.usage.total_tokens;
    }
    const labels = { hashed_api_key: made.body.token_id, api_key_alias: 'limited', model: 'chat' };
    const text = await scrapeUntil(
      base,
      t => sample(t, 'litellm_remaining_api_key_requests_for_model', labels) === 7,
    );
    expect(sample(text, 'litellm_remaining_api_key_tokens_for_model', labels)).toBe(5000 - tokens);
  });

  it('shows the budget period: hours until reset, and a new period back at the full budget', async () => {
    const made = await post(
      base,
      '/key/generate',
      { key_alias: 'daily', max_budget: 3, budget_duration: '1d' },
      auth(),
    );
    expect(made.status).toBe(200);
    const key = { hashed_api_key: made.body.token_id, api_key_alias: 'daily' };
    const text = await scrapeUntil(
      base,
      t => sample(t, 'litellm_api_key_budget_remaining_hours_metric', key) !== undefined,
    );
    const hours = sample(text, 'litellm_api_key_budget_remaining_hours_metric', key)!;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
    expect(sample(text, 'litellm_remaining_api_key_budget_metric', key)).toBe(3);
  });
});

describe('spend and budget metrics without key labels (the default)', () => {
  let stack: KeysStack;

  beforeAll(async () => {
    stack = await startKeysStack({ postgres: true, masterKey: MASTER });
  }, 180_000);
  afterAll(() => stack?.close());

  it('keeps label sets bounded: team and model only, no per-key series', async () => {
    const base = stack.proxy.url;
    const team = await post(base, '/team/new', { team_alias: 'ops', max_budget: 5 }, auth());
    const made = await post(
      base,
      '/key/generate',
      { team_id: team.body.team_id, key_alias: 'k', max_budget: 1 },
      auth(),
    );
    const res = await post(
      base,
      '/v1/chat/completions',
      chat('chat', 'x', { user: 'someone' }),
      auth(made.body.key),
    );
    expect(res.status).toBe(200);
    const cost = Number(res.headers['x-litellm-response-cost']);
    const teamLabels = { team: team.body.team_id, team_alias: 'ops' };
    const text = await scrapeUntil(base, t =>
      close(sample(t, 'litellm_remaining_team_budget_metric', teamLabels), 5 - cost),
    );
    const spendLines = text.split('\n').filter(l => l.startsWith('litellm_spend_metric{'));
    expect(spendLines).toHaveLength(1);
    expect(spendLines[0]).not.toMatch(/hashed_api_key|api_key_alias|end_user|user=/);
    expect(sample(text, 'litellm_spend_metric', { model: 'chat', ...teamLabels })).toBeCloseTo(
      cost,
      12,
    );
    expect(text).not.toMatch(/^litellm_remaining_api_key_budget_metric\{/m);
    expect(text).not.toMatch(/^litellm_remaining_user_budget_metric\{/m);
  });
});
