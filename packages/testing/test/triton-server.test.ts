/**
 * Server-level behaviour: readiness flips, the request log, Prometheus
 * metrics with real counts, the OpenAI frontend's streams and errors, and
 * the CLI's argument checks.
 */
import { describe, expect, it } from 'vitest';
import { countTokens, parseSseText, runTritonCli } from '../src/index';
import { postJson, startTriton } from './triton-helpers';

describe('readiness', () => {
  it('flips server and model readiness', async () => {
    const emu = await startTriton({
      models: [{ name: 'llama', profile: 'vllm' }],
      serverReady: false,
    });
    expect((await fetch(`${emu.url}/v2/health/ready`)).status).toBe(400);
    expect((await fetch(`${emu.url}/v2/health/live`)).status).toBe(200);
    const frontend = await fetch(`${emu.url}/health/ready`);
    expect(frontend.status).toBe(400);
    expect(await frontend.json()).toEqual({
      detail: 'Attached inference engine is not ready for inference requests.',
    });
    emu.setReady('server', true);
    expect((await fetch(`${emu.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${emu.url}/health/ready`)).status).toBe(200);

    emu.setReady('llama', false);
    const modelReady = await fetch(`${emu.url}/v2/models/llama/ready`);
    expect(modelReady.status).toBe(400);
    expect(await modelReady.json()).toEqual({ error: 'Model version not ready' });
    expect((await fetch(`${emu.url}/v2/health/ready`)).status).toBe(400);
    const generate = await postJson(`${emu.url}/v2/models/llama/generate`, { text_input: 'hi' });
    expect(generate).toMatchObject({
      status: 404,
      body: { error: "Request for unknown model: 'llama' has no available versions" },
    });
    emu.setReady('llama', true);
    expect((await fetch(`${emu.url}/v2/models/llama/ready`)).status).toBe(200);
    expect(() => emu.setReady('nope', true)).toThrow('no model named "nope"');
  });
});

describe('request log and metrics', () => {
  it('logs each request with its parsed body and final status', async () => {
    const emu = await startTriton({ models: [{ name: 'llama', profile: 'vllm' }] });
    await postJson(
      `${emu.url}/v2/models/llama/generate`,
      { text_input: 'logged' },
      { 'x-trace': 'abc' },
    );
    const entry = await emu.requests.waitFor(
      e => e.path === '/v2/models/llama/generate' && e.status !== undefined,
    );
    expect(entry).toMatchObject({
      method: 'POST',
      body: { text_input: 'logged' },
      status: 200,
      aborted: false,
    });
    expect(entry.headers['x-trace']).toBe('abc');
    expect(entry.finishedAt! >= entry.receivedAt).toBe(true);
  });

  it('reports real success, failure and pending counts with Triton metric names', async () => {
    const emu = await startTriton({ models: [{ name: 'llama', profile: 'vllm' }], ttftMs: 5_000 });
    const metrics = () => fetch(`${emu.url}/metrics`).then(r => r.text());
    const line = (text: string, name: string) =>
      text.split('\n').find(l => l.startsWith(`${name}{model="llama",version="1"}`));
    const controller = new AbortController();
    const slow = fetch(`${emu.url}/v2/models/llama/generate_stream`, {
      method: 'POST',
      body: JSON.stringify({ text_input: 'slow', stream: true }),
      signal: controller.signal,
    }).catch(() => undefined);
    await emu.requests.waitFor(e => e.path.endsWith('/generate_stream') && e.body !== undefined);
    const during = await metrics();
    expect(line(during, 'nv_inference_pending_request_count')).toBe(
      'nv_inference_pending_request_count{model="llama",version="1"} 1',
    );
    expect(during).toContain('# TYPE nv_inference_request_success counter');
    controller.abort();
    await slow;
    await emu.requests.waitFor(e => e.path.endsWith('/generate_stream') && e.aborted);
    const after = await metrics();
    expect(line(after, 'nv_inference_pending_request_count')).toMatch(/ 0$/);
    expect(line(after, 'nv_inference_request_failure')).toMatch(/ 1$/);
    expect(line(after, 'nv_inference_request_success')).toMatch(/ 0$/);
    expect((await fetch(`${emu.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('counts successes and executions', async () => {
    const emu = await startTriton({ models: [{ name: 'llama', profile: 'vllm' }] });
    await postJson(`${emu.url}/v2/models/llama/generate`, { text_input: 'one' });
    await postJson(`${emu.url}/v2/models/llama/generate`, { text_input: 'two' });
    const text = await fetch(`${emu.url}/metrics`).then(r => r.text());
    expect(text).toContain('nv_inference_request_success{model="llama",version="1"} 2');
    expect(text).toContain('nv_inference_exec_count{model="llama",version="1"} 2');
    expect(text).toContain('nv_inference_count{model="llama",version="1"} 2');
    const stats = await fetch(`${emu.url}/v2/models/llama/stats`).then(
      r => r.json() as Promise<{ model_stats: unknown[] }>,
    );
    expect(stats.model_stats[0]).toMatchObject({
      name: 'llama',
      inference_count: 2,
      execution_count: 2,
    });
  });
});

interface Chunk {
  id: string;
  object: string;
  choices: Array<{ delta?: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: unknown;
}

describe('OpenAI frontend', () => {
  const models = [{ name: 'llama', profile: 'vllm' as const, scriptedText: 'Hello there friend' }];

  it('streams chat with a role chunk, content deltas, a finish chunk, usage and [DONE]', async () => {
    const emu = await startTriton({ models });
    const got = await postJson(`${emu.url}/v1/chat/completions`, {
      model: 'llama',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(got.status).toBe(200);
    const events = parseSseText(got.text).map(e => e.data) as Array<Chunk | '[DONE]'>;
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Chunk[];
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const content = chunks.flatMap(c => c.choices.map(ch => ch.delta?.content ?? '')).join('');
    expect(content).toBe('Hello there friend');
    expect(chunks.every(c => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(
      true,
    );
    const finishes = chunks.flatMap(c => c.choices.map(ch => ch.finish_reason)).filter(Boolean);
    expect(finishes).toEqual(['stop']);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({
      completion_tokens: 3,
      prompt_tokens: countTokens('user: hi\nassistant:'),
      total_tokens: 3 + countTokens('user: hi\nassistant:'),
    });
  });

  it('answers completions, lists models and refuses bad requests in FastAPI shape', async () => {
    const emu = await startTriton({
      models,
      openaiRestrictedApi: ['metrics,model-repository key v'],
    });
    const completion = await postJson(`${emu.url}/v1/completions`, {
      model: 'llama',
      prompt: 'p',
      max_tokens: 2,
    });
    expect(completion.body).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, text: 'Hello there', finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    const locked = await fetch(`${emu.url}/v1/models`);
    expect(locked.status).toBe(401);
    const list = await fetch(`${emu.url}/v1/models`, { headers: { key: 'v' } }).then(r => r.json());
    expect(list).toMatchObject({ object: 'list', data: [{ id: 'llama', object: 'model' }] });
    expect((await fetch(`${emu.url}/metrics`)).status).toBe(401);
    const options = await postJson(`${emu.url}/v1/chat/completions`, {
      model: 'llama',
      messages: [],
      stream_options: { include_usage: true },
    });
    expect(options).toMatchObject({
      status: 400,
      body: { detail: '`stream_options` can only be used when `stream` is True' },
    });
    const missing = await postJson(`${emu.url}/v1/chat/completions`, { model: 'llama' });
    expect(missing.status).toBe(422);
    expect((missing.body as { detail: Array<{ loc: string[] }> }).detail[0]!.loc).toEqual([
      'body',
      'messages',
    ]);
  });
});

describe('CLI', () => {
  it('starts with the models given, serves them, and stops on SIGTERM', async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    let announce: (url: string) => void = () => undefined;
    const listening = new Promise<string>(resolve => {
      announce = resolve;
    });
    process.stdout.write = ((chunk: string) => {
      writes.push(String(chunk));
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) announce(match[1]!);
      return true;
    }) as typeof process.stdout.write;
    try {
      const done = runTritonCli([
        '--port',
        '0',
        '--model',
        'vllm_model:vllm',
        '--model',
        'ensemble:trtllm',
      ]);
      const url = await listening;
      const metadata = (await fetch(`${url}/v2/models/ensemble`).then(r => r.json())) as {
        platform: string;
      };
      expect(metadata.platform).toBe('ensemble');
      process.emit('SIGTERM');
      await done;
      expect(writes.join('')).toContain('model vllm_model (vllm)');
      expect(writes.join('')).toContain('Triton emulator stopped');
    } finally {
      process.stdout.write = original;
    }
  });

  it('rejects a model without a known profile, naming the expected form', async () => {
    await expect(runTritonCli(['--model', 'llama:gpt'])).rejects.toThrow(
      '--model must be NAME:PROFILE with PROFILE one of vllm, trtllm, embedding, generic, mock_llm; got "llama:gpt"',
    );
    await expect(runTritonCli([])).rejects.toThrow('at least one --model NAME:PROFILE is needed');
    await expect(runTritonCli(['--model', 'a:vllm', '--port', 'x'])).rejects.toThrow(
      '--port must be',
    );
  });
});
