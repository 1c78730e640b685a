/**
 * The admin page in a real headless Chromium against a real proxy (vLLM
 * emulator upstream, keys and spend in PostgreSQL): sign in with the
 * master key, create a key on the Keys page, call the proxy with it
 * through the official `openai` client, see the request on the Requests
 * page and its spend on the Spend and Keys pages, revoke the key and see
 * the next call refused. A screenshot of each page is saved under
 * test-results/dashboard/ (gitignored). Labels, roles and the Tab order
 * are checked on the way.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../../src/index';
import { freshDatabase, keysConfig, tempDir } from '../keys-helpers';
import { buildDashboard } from './build-dashboard';
import { launchChromium } from './chromium';
import { tabStops, unreachedControls } from './keyboard';

const MASTER_KEY = 'sk-dashboard-master-5678';
const PRICES = { input: 0.0001, output: 0.0002 };
const shots = fileURLToPath(new URL('../../../../test-results/dashboard/', import.meta.url));

describe('admin page in Chromium', { timeout: 120_000 }, () => {
  let vllm: VllmEmulator;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: RunningProxy;
  let browser: Browser;
  let page: Page;
  let assetsDir: string;
  /** Every URL the page requested, and whether each carried the key in a header. */
  const requests: Array<{ url: string; authorized: boolean }> = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [assetsDir, vllm, db, browser] = await Promise.all([
      buildDashboard(),
      startVllmEmulator({ model: 'facebook/opt-125m' }),
      freshDatabase(),
      launchChromium(),
    ]);
    const { config } = parseConfig(
      keysConfig({
        upstream: vllm.url,
        databaseUrl: db.url,
        dataDir: await tempDir(),
        masterKey: MASTER_KEY,
        prices: PRICES,
      }),
      { env: {} },
    );
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      adminUi: { assetsDir },
    });
    await proxy.keys!.db();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('request', r =>
      requests.push({ url: r.url(), authorized: r.headers().authorization !== undefined }),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await vllm?.close();
    await db?.drop();
    if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
  }, 60_000);

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name });
  /** Saves a screenshot of a page that loaded: no error announced on it. */
  const shot = async (name: string, options: { errorsExpected?: boolean } = {}) => {
    if (!options.errorsExpected)
      expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
  };

  it('refuses a wrong key, then signs in with the master key kept out of every URL', async () => {
    await page.goto(`${proxy.url}/ui`);
    const keyInput = page.getByLabel('Master key');
    await keyInput.fill('sk-wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'not the master key');
    await shot('sign-in', { errorsExpected: true });
    await keyInput.fill(MASTER_KEY);
    const signedInFrom = requests.length;
    await keyInput.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(page.url()).toBe(`${proxy.url}/ui`);
    for (const r of requests) expect(r.url).not.toContain(MASTER_KEY);
    // From sign-in on, every call carries the key, as a header.
    const calls = requests.slice(signedInFrom).filter(r => r.url.includes('/ui/api/'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(r => r.authorized)).toBe(true);
    const stored = await page.evaluate('sessionStorage.length');
    expect(stored).toBe(1);
  });

  it('names its landmarks, charts and controls, and Tab reaches every control', async () => {
    await page.getByRole('img', { name: /^Requests per second: latest/ }).waitFor();
    await page.getByRole('img', { name: /^Latency: latest p50/ }).waitFor();
    await page.getByRole('table', { name: /Per model group/ }).waitFor();
    const stops = await tabStops(page);
    expect(stops.slice(0, 7)).toEqual([
      'button "Skip to content"',
      'link "Overview"',
      'link "Models"',
      'link "Keys"',
      'link "Spend"',
      'link "Requests"',
      'button "Sign out"',
    ]);
    expect(await unreachedControls(page, stops)).toEqual([]);
    expect(stops.filter(stop => stop.endsWith('""'))).toEqual([]); // every stop has a name
    // Keyboard only: a link followed with Enter lands focus on the new page's heading.
    await nav('Models').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await expect.poll(() => page.locator('#page-title:focus').count()).toBe(1);
    await expect.poll(() => nav('Models').getAttribute('aria-current')).toBe('page');
  });

  let issuedKey = '';

  it('creates a key with models, budget and limits and shows it once', async () => {
    await nav('Keys').click();
    await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
    await page.getByRole('textbox', { name: 'Alias' }).fill('browser-test');
    await page.getByRole('spinbutton', { name: 'Budget (USD)' }).fill('5');
    await page.getByRole('spinbutton', { name: 'Requests per minute' }).fill('100');
    await page.getByRole('textbox', { name: 'Expires after' }).fill('30d');
    await page.getByRole('checkbox', { name: 'chat' }).check();
    const stops = await tabStops(page);
    expect(await unreachedControls(page, stops)).toEqual([]);
    expect(stops.filter(stop => stop.endsWith('""'))).toEqual([]);
    expect(stops).toEqual(
      expect.arrayContaining(['textbox "Alias"', 'spinbutton "Budget (USD)"', 'checkbox "chat"']),
    );
    await page.getByRole('button', { name: 'Create key' }).click();
    const issued = page.getByTestId('issued-key');
    await issued.waitFor();
    issuedKey = (await issued.textContent())!.trim();
    expect(issuedKey).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    const row = page.getByRole('row', { name: /browser-test/ });
    await expectText(row, '$5.00');
    await expectText(row, 'chat');
    await shot('keys');
    // Only its hash is kept: the list never shows the key again.
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(issuedKey);
  });

  it('shows a call made with the key on the Requests page, with its tokens and cost', async () => {
    const client = new OpenAI({ apiKey: issuedKey, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    const { data: completion, response } = await client.chat.completions
      .create({
        model: 'chat',
        messages: [{ role: 'user', content: 'hello dashboard' }],
        max_tokens: 6,
      })
      .withResponse();
    const callId = response.headers.get('x-litellm-call-id')!;
    const usage = completion.usage!;
    // A stream too: its time to first token is shown.
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'stream please' }],
      max_tokens: 6,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    const cost = usage.prompt_tokens * PRICES.input + usage.completion_tokens * PRICES.output;
    await nav('Requests').click();
    const row = page.locator(`tr[data-call-id="${callId}"]`);
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[1]).toContain('200');
    expect(cells[3]).toBe('chat');
    expect(cells[7]).toBe(`${usage.prompt_tokens} / ${usage.completion_tokens}`);
    expect(cells[8]).toBe(cost >= 0.01 ? `$${cost.toFixed(2)}` : `$${cost.toPrecision(2)}`);
    expect(cells[9]).toBe('browser-test');
    const streamed = page.locator('tbody tr').first().getByRole('cell');
    await expect
      .poll(async () => (await streamed.nth(6).textContent()) ?? '')
      .toMatch(/^\d+(\.\d)? ms$/);
    // Prompt text stays off unless the operator turned it on.
    expect(await page.content()).not.toContain('hello dashboard');
    await shot('requests');
  });

  it('shows the spend by key, exports it as CSV, and the key list carries it', async () => {
    // Spend rows are written in batches: wait for both calls' rows to be in the database.
    await expect
      .poll(async () => (await proxy.keys!.db()).query('SELECT 1 FROM "LiteLLM_SpendLogs"'), {
        timeout: 10_000,
      })
      .toHaveLength(2);
    await nav('Spend').click();
    await page.getByRole('heading', { level: 1, name: 'Spend' }).waitFor();
    const table = page.getByRole('table', { name: 'Spend by key' });
    await table.getByRole('row', { name: /browser-test/ }).waitFor();
    await page.getByRole('img', { name: /^Spend per day \(USD\): 30 days/ }).waitFor();
    await page.getByLabel('Group by').selectOption('model');
    await page
      .getByRole('table', { name: 'Spend by model' })
      .getByRole('row', { name: /chat/ })
      .waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('day,key,key_alias,team_id,user_id,model,spend_usd,requests,tokens');
    expect(csv[1]).toMatch(/^\d{4}-\d{2}-\d{2},[0-9a-f]{64},browser-test,,,chat,[0-9.e-]+,2,\d+$/);
    await shot('spend');
    await nav('Keys').click();
    const row = page.getByRole('row', { name: /browser-test/ });
    await expect
      .poll(async () => (await row.getByRole('cell').nth(1).textContent()) ?? '')
      .toMatch(/^\$0\.00\d|^\$[1-9]/);
  });

  it('revokes the key, and the next call with it is refused', async () => {
    await page.getByRole('button', { name: 'Revoke browser-test' }).click();
    await page.getByRole('button', { name: 'Confirm revoke of browser-test' }).click();
    await page.getByRole('row', { name: /browser-test/ }).waitFor({ state: 'detached' });
    const client = new OpenAI({ apiKey: issuedKey, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    const refused = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'again' }] })
      .catch(e => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    await nav('Requests').click();
    await page.locator('tbody tr').first().getByText('401').waitFor();
  });

  it('shows each deployment with its state and the overview with the traffic', async () => {
    await nav('Models').click();
    const row = page.getByRole('row', { name: /facebook\/opt-125m/ });
    await expectText(row, 'healthy');
    await page.getByRole('button', { name: 'Run health check' }).click();
    await expectText(row, 'answered');
    await shot('models');
    await nav('Overview').click();
    const table = page.getByRole('table', { name: /Per model group/ });
    await table.getByRole('rowheader', { name: 'chat' }).waitFor({ timeout: 10_000 });
    await shot('overview');
  });

  it('signs out and forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Master key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByLabel('Master key').waitFor();
  });
});

/** Waits until the locator's text contains `text` (the page refreshes on its own timers). */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await expect
    .poll(async () => (await locator.textContent()) ?? '', { timeout: 10_000 })
    .toContain(text);
}
