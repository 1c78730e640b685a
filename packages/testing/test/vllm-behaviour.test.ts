/** Behaviour of the vLLM emulator beyond the fixtures: auth, framing, generation rules, errors, log, metrics. */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countTokens,
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
} from '../src/index';

let emu: VllmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
async function start(options: VllmEmulatorOptions = {}): Promise<VllmEmulator> {
  emu = await startVllmEmulator({ model: 'm', ...options });
  return emu;
}
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
const user = (content: string) => [{ role: 'user', content }];

describe('auth', () => {
  it('guards /v1 only, with a case-insensitive bearer scheme and any of several keys', async () => {
    await start({ apiKey: ['k1', 'k2'] });
    const body = { messages: user('hi') };
    expect((await post('/v1/chat/completions', body)).json).toEqual({ error: 'Unauthorized' });
    expect(
      (await post('/v1/chat/completions', body, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect((await post('/v1/chat/completions', body, { authorization: 'bEaReR k2' })).status).toBe(
      200,
    );
    expect((await post('/tokenize', { prompt: 'a b' })).status).toBe(200);
    expect((await fetch(`${emu!.url}/health`)).status).toBe(200);
    expect((await fetch(`${emu!.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${emu!.url}/v1/models`)).status).toBe(401);
  });

  it('is off without a key', async () => {
    await start();
    expect((await post('/v1/chat/completions', { messages: user('hi') })).status).toBe(200);
  });
});

describe('streaming framing', () => {
  it('is "data: <json>\\n\\n" per event and ends with "data: [DONE]\\n\\n", byte for byte', async () => {
    await start({ scripted: { text: 'one two' } });
    const res = await post('/v1/chat/completions', { messages: user('x'), stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    const events = res.text.split('\n\n');
    expect(events.at(-1)).toBe('');
    for (const event of events.slice(0, -1)) {
      expect(event.startsWith('data: ')).toBe(true);
      expect(event.includes('\n')).toBe(false);
    }
    const deltas = events.slice(0, -2).map(e => JSON.parse(e.slice(6)).choices[0].delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'one' },
      { content: ' two' },
      {},
    ]);
  });

  it('n choices each get a role chunk and a finish chunk', async () => {
    await start();
    const res = await post('/v1/chat/completions', {
      messages: user('x'),
      stream: true,
      n: 2,
      max_tokens: 3,
    });
    const chunks = res.text
      .split('\n\n')
      .filter(e => e.startsWith('data: {'))
      .map(e => JSON.parse(e.slice(6)));
    for (const index of [0, 1]) {
      const mine = chunks.filter(c => c.choices[0].index === index);
      expect(mine[0].choices[0].delta.role).toBe('assistant');
      expect(mine.at(-1).choices[0].finish_reason).toBe('length');
    }
  });
});

describe('generation rules', () => {
  it('is deterministic and its usage agrees with the text', async () => {
    await start();
    const a = await post('/v1/chat/completions', { messages: user('tell me') });
    const b = await post('/v1/chat/completions', { messages: user('tell me') });
    const content = a.json.choices[0].message.content;
    expect(content).toBe(b.json.choices[0].message.content);
    expect(a.json.choices[0].finish_reason).toBe('stop');
    expect(a.json.usage.completion_tokens).toBe(countTokens(content));
  });

  it('max_tokens cuts with finish_reason "length"; completions default to 16 tokens', async () => {
    await start();
    const chat = await post('/v1/chat/completions', {
      messages: user('x'),
      max_completion_tokens: 2,
    });
    expect(chat.json.choices[0].finish_reason).toBe('length');
    expect(countTokens(chat.json.choices[0].message.content)).toBe(2);
    await emu!.close();
    await start({ scripted: { text: Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ') } });
    const completion = await post('/v1/completions', { prompt: 'go' });
    expect(completion.json.usage.completion_tokens).toBe(16);
    expect(completion.json.choices[0].finish_reason).toBe('length');
  });

  it('a stop string cuts the text and is reported as stop_reason', async () => {
    await start({ scripted: { text: 'alpha beta. gamma delta' } });
    const res = await post('/v1/chat/completions', { messages: user('x'), stop: ['.'] });
    expect(res.json.choices[0]).toMatchObject({
      message: { content: 'alpha beta' },
      finish_reason: 'stop',
      stop_reason: '.',
    });
  });

  it('tools: auto gives tool_calls, a named choice gives stop, a tool result ends the loop', async () => {
    await start();
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const auto = await post('/v1/chat/completions', { messages: user('weather?'), tools });
    expect(auto.json.choices[0].finish_reason).toBe('tool_calls');
    const call = auto.json.choices[0].message.tool_calls[0];
    expect(call.id).toMatch(/^chatcmpl-tool-/);
    expect(typeof JSON.parse(call.function.arguments).city).toBe('string');
    const named = await post('/v1/chat/completions', {
      messages: user('weather?'),
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(named.json.choices[0].finish_reason).toBe('stop');
    const after = await post('/v1/chat/completions', {
      messages: [
        ...user('weather?'),
        { role: 'assistant', tool_calls: [call] },
        { role: 'tool', content: 'sunny' },
      ],
      tools,
    });
    expect(after.json.choices[0].message.tool_calls).toEqual([]);
  });

  it('reasoning goes to the configured field, in messages and deltas', async () => {
    await start({ reasoningParser: 'deepseek_r1', reasoningField: 'both' });
    const res = await post('/v1/chat/completions', { messages: user('think') });
    const message = res.json.choices[0].message;
    expect(typeof message.reasoning).toBe('string');
    expect(message.reasoning_content).toBe(message.reasoning);
    const stream = await post('/v1/chat/completions', { messages: user('think'), stream: true });
    const first = JSON.parse(stream.text.split('\n\n')[1]!.slice(6));
    expect(Object.keys(first.choices[0].delta).sort()).toEqual(['reasoning', 'reasoning_content']);
  });

  it('embeddings in base64 are little-endian float32', async () => {
    await start();
    const floats = await post('/v1/embeddings', { input: 'abc' });
    const b64 = await post('/v1/embeddings', { input: 'abc', encoding_format: 'base64' });
    const buf = Buffer.from(b64.json.data[0].embedding, 'base64');
    const decoded = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
    expect(decoded).toHaveLength(8);
    for (const [i, v] of decoded.entries()) {
      expect(v).toBeCloseTo(floats.json.data[0].embedding[i], 6);
    }
  });
});

describe('errors', () => {
  it('validation errors name the field', async () => {
    await start();
    const bad = await post('/v1/chat/completions', { messages: user('x'), max_tokens: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      message:
        "1 validation error:\n  {'type': 'int_parsing', 'loc': 'body.max_tokens', 'msg': 'Input should be a valid integer, unable to parse string as an integer', 'input': 'many'}",
      type: 'Bad Request',
      param: 'body.max_tokens',
      code: 400,
    });
    const opts = await post('/v1/chat/completions', {
      messages: user('x'),
      stream_options: { include_usage: true },
    });
    expect(opts.json.error.message).toContain(
      'Stream options can only be defined when `stream=True`.',
    );
    const missing = await post('/v1/chat/completions', {});
    expect(missing.json.error.param).toBe('body.messages');
  });

  it('refuses a non-JSON media type and answers unknown routes like FastAPI', async () => {
    await start();
    const res = await post(
      '/v1/chat/completions',
      { messages: user('x') },
      { 'content-type': 'text/plain' },
    );
    expect(res.json.error.message).toBe(
      "1 validation error:\n  Unsupported Media Type: Only 'application/json' is allowed",
    );
    expect(res.status).toBe(400);
    expect((await post('/chat/completions', {})).json).toEqual({ detail: 'Not Found' });
    const wrongMethod = await fetch(`${emu!.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('request log and metrics', () => {
  it('records bodies and marks a stream the client destroyed as aborted', async () => {
    await start({ tokensPerSecond: 20 });
    const aborted = emu!.requests.waitFor(e => e.aborted);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${emu!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', res => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', reject);
      req.end(JSON.stringify({ messages: user('long'), stream: true, max_tokens: 100 }));
    });
    const entry = await aborted;
    expect(entry).toMatchObject({ method: 'POST', path: '/v1/chat/completions', aborted: true });
    expect((entry.body as { stream: boolean }).stream).toBe(true);
  });

  it('metrics report the real number of running requests and token totals', async () => {
    await start({ ttftMs: 10_000 });
    const pending = fetch(`${emu!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: user('wait'), stream: true }),
    });
    const res = await pending;
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`${emu!.url}/metrics`)).text();
    expect(metrics).toContain('vllm:num_requests_running{model_name="m"} 1.0');
    expect(metrics).toContain('# TYPE vllm:generation_tokens_total counter');
    await res.body?.cancel();
    await emu!.requests.waitFor(e => e.aborted);
    const after = await (await fetch(`${emu!.url}/metrics`)).text();
    expect(after).toContain('vllm:num_requests_running{model_name="m"} 0.0');
  });

  it('transcriptions take multipart and log a summary', async () => {
    await start({ scripted: { text: 'hello from audio' } });
    const form = new FormData();
    form.append('model', 'm');
    form.append('file', new Blob([new Uint8Array(1234)]), 'clip.wav');
    const res = await fetch(`${emu!.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(await res.json()).toEqual({ text: 'hello from audio' });
    const entry = await emu!.requests.waitFor(e => e.path === '/v1/audio/transcriptions');
    expect(entry.body).toEqual({
      fields: { model: 'm' },
      files: [{ name: 'file', filename: 'clip.wav', size: 1234 }],
    });
  });
});
