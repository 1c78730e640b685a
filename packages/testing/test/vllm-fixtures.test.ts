/**
 * Replays every recorded vLLM exchange in this package's fixtures folder against
 * the emulator. Bodies must match exactly, except ids, timestamps,
 * generated text and illustrative token counts, which must keep their JSON
 * type; the values that matter for those are checked for internal
 * consistency instead (usage adds up, text concatenates, scores order).
 */
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countTokens,
  diffWireShape,
  type Fixture,
  loadFixture,
  replayRequest,
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
  type WireShapeOptions,
} from '../src/index';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/vllm');
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';

let emulator: VllmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: VllmEmulatorOptions): Promise<VllmEmulator> {
  emulator = await startVllmEmulator(options);
  return emulator;
}

/** Replays a fixture and checks status, headers and body shape. */
async function replay(fixture: Fixture, shape: WireShapeOptions, emu: VllmEmulator) {
  const got = await replayRequest(emu.url, fixture.request);
  expect(got.status).toBe(fixture.response.status);
  for (const [name, value] of Object.entries(fixture.response.headers)) {
    expect(got.headers.get(name), `header ${name}`).toBe(value);
  }
  if (fixture.response.sse) {
    expect(got.sse).toBeDefined();
    expect(diffWireShape(got.sse, fixture.response.sse, shape)).toEqual([]);
  } else {
    expect(diffWireShape(got.body, fixture.response.body, shape)).toEqual([]);
  }
  return got;
}

const fixture = (name: string) => loadFixture(FIXTURES, name);

describe('vLLM fixtures', () => {
  it('covers every fixture file in the folder', () => {
    const names = readdirSync(FIXTURES)
      .filter(f => f.endsWith('.json'))
      .map(f => f.replace(/\.json$/, ''));
    expect(names.sort()).toEqual([...REPLAYED].sort());
  });

  it('01 models list', async () => {
    const emu = await start({ model: LLAMA, maxModelLen: 8192, apiKey: 'token-abc123' });
    await replay(
      fixture('01_models_list'),
      { loose: ['data[].created', 'data[].permission[].id', 'data[].permission[].created'] },
      emu,
    );
  });

  it('02 chat, non-streaming, with vLLM extra params', async () => {
    const emu = await start({ model: LLAMA, scripted: { text: 'Hello!' } });
    const f = fixture('02_chat_nonstream_extra_params');
    const got = await replay(
      f,
      {
        loose: [
          'id',
          'created',
          'usage.prompt_tokens',
          'usage.total_tokens',
          'usage.completion_tokens',
        ],
      },
      emu,
    );
    const usage = (got.body as { usage: Record<string, number> }).usage;
    expect(usage.completion_tokens).toBe(countTokens('Hello!'));
    expect(usage.total_tokens).toBe(usage.prompt_tokens! + usage.completion_tokens!);
    const tokenized = await replayRequest(emu.url, {
      method: 'POST',
      path: '/tokenize',
      headers: { 'content-type': 'application/json' },
      body: { messages: (f.request.body as { messages: unknown }).messages },
    });
    expect((tokenized.body as { count: number }).count).toBe(usage.prompt_tokens);
  });

  it('03 chat stream with include_usage', async () => {
    const emu = await start({ model: LLAMA, scripted: { text: '1, 2, 3.' } });
    const got = await replay(
      fixture('03_chat_stream_usage'),
      {
        loose: [
          '[].data.id',
          '[].data.created',
          '[].data.choices[].delta.content',
          '[].data.usage',
        ],
      },
      emu,
    );
    const events = got.sse!.map(
      e =>
        e.data as { choices?: { delta?: { content?: string } }[]; usage?: Record<string, number> },
    );
    const text = events.map(e => e.choices?.[0]?.delta?.content ?? '').join('');
    expect(text).toBe('1, 2, 3.');
    const usage = events.at(-2)!.usage!;
    expect(Object.keys(usage)).toEqual(['prompt_tokens', 'total_tokens', 'completion_tokens']);
    expect(usage.completion_tokens).toBe(countTokens(text));
    expect(usage.total_tokens).toBe(usage.prompt_tokens! + usage.completion_tokens!);
  });

  it('05 completion stream hitting max_tokens', async () => {
    const emu = await start({ model: LLAMA, scripted: { text: ' Paris. It is a city.' } });
    // Usage is exact here: 5 words plus <s> is 6 prompt tokens, as in the fixture.
    const got = await replay(
      fixture('05_completion_stream'),
      { loose: ['[].data.id', '[].data.created', '[].data.choices[].text'] },
      emu,
    );
    expect(
      got
        .sse!.map(e => (e.data as { choices?: { text: string }[] }).choices?.[0]?.text ?? '')
        .join(''),
    ).toBe(' Paris. It is');
  });

  it('06 embeddings', async () => {
    const emu = await start({ model: 'intfloat/e5-small-v2', embeddingDimensions: 4 });
    const got = await replay(
      fixture('06_embeddings'),
      { loose: ['id', 'created', 'data[].embedding', 'usage.prompt_tokens', 'usage.total_tokens'] },
      emu,
    );
    const body = got.body as { data: { embedding: number[] }[]; usage: { prompt_tokens: number } };
    for (const item of body.data) expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 5);
    expect(body.usage.prompt_tokens).toBe(
      countTokens('hello world') + 1 + countTokens('goodbye') + 1,
    );
  });

  it('07 rerank (the docs show two of three results)', async () => {
    const emu = await start({ model: 'BAAI/bge-reranker-base' });
    const got = await replay(
      fixture('07_rerank'),
      {
        loose: [
          'id',
          'usage.total_tokens',
          'results[].relevance_score',
          'results[].index',
          'results[].document.text',
        ],
        anyLength: ['results'],
      },
      emu,
    );
    const results = (got.body as { results: { index: number; relevance_score: number }[] }).results;
    expect(results.map(r => r.index)).toEqual([1, 0, 2]);
    expect(results[0]!.relevance_score).toBeGreaterThan(results[1]!.relevance_score);
  });

  it('08 score, 1:N (the docs abbreviate usage to {})', async () => {
    const emu = await start({ model: 'BAAI/bge-reranker-v2-m3' });
    const got = await replay(
      fixture('08_score_batch'),
      { loose: ['id', 'created', 'data[].score'], ignore: ['usage'] },
      emu,
    );
    const body = got.body as { data: { score: number }[]; usage: Record<string, unknown> };
    expect(body.data[1]!.score).toBeGreaterThan(body.data[0]!.score);
    expect(Object.keys(body.usage)).toEqual([
      'prompt_tokens',
      'total_tokens',
      'completion_tokens',
      'prompt_tokens_details',
    ]);
  });

  it('09 classify', async () => {
    const emu = await start({
      model: 'jason9693/Qwen2.5-1.5B-apeach',
      classifyLabels: ['Default', 'Spoiled'],
    });
    const got = await replay(
      fixture('09_classify'),
      {
        loose: [
          'id',
          'created',
          'data[].label',
          'data[].probs',
          'usage.prompt_tokens',
          'usage.total_tokens',
        ],
      },
      emu,
    );
    for (const item of (got.body as { data: { probs: number[] }[] }).data) {
      expect(item.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('10 tokenize', async () => {
    const emu = await start({ model: LLAMA, maxModelLen: 8192 });
    const f = fixture('10_tokenize');
    const got = await replay(f, { loose: ['tokens', 'token_strs[]'] }, emu);
    const body = got.body as { token_strs: string[]; tokens: number[] };
    // The first token is the model's own BOS string; the word tokens match.
    expect(body.token_strs.slice(1)).toEqual(
      (f.response.body as { token_strs: string[] }).token_strs.slice(1),
    );
    const back = await replayRequest(emu.url, {
      method: 'POST',
      path: '/detokenize',
      headers: { 'content-type': 'application/json' },
      body: { tokens: body.tokens },
    });
    expect(back.body).toEqual({ prompt: 'Hello world' });
  });

  it('11 health, version, and health of a dead engine', async () => {
    const emu = await start({ model: LLAMA });
    const f = fixture('11_health_version');
    await replay(f, {}, emu);
    const [version, dead] = f.also!;
    await replay({ ...f, ...version! }, {}, emu);
    emu.setHealthy(false);
    await replay({ ...f, ...dead! }, {}, emu);
  });

  it('20 unknown model', async () => {
    await replay(fixture('20_error_unknown_model'), {}, await start({ model: LLAMA }));
  });

  it('22 validation error, byte for byte', async () => {
    await replay(fixture('22_error_validation'), {}, await start({ model: LLAMA }));
  });

  it('23 wrong API key', async () => {
    await replay(
      fixture('23_error_auth'),
      {},
      await start({ model: LLAMA, apiKey: 'token-abc123' }),
    );
  });

  it('25 legacy (<= 0.9) error shape', async () => {
    await replay(
      fixture('25_error_legacy_shape'),
      {},
      await start({ model: LLAMA, errorShape: 'legacy' }),
    );
  });
});

const REPLAYED = [
  '01_models_list',
  '02_chat_nonstream_extra_params',
  '03_chat_stream_usage',
  '05_completion_stream',
  '06_embeddings',
  '07_rerank',
  '08_score_batch',
  '09_classify',
  '10_tokenize',
  '11_health_version',
  '20_error_unknown_model',
  '22_error_validation',
  '23_error_auth',
  '25_error_legacy_shape',
];
