/**
 * Fault injection on the Triton emulator, each mode observed by a real
 * client: injected statuses with retry-after, latency, stalled headers,
 * dropped connections, in-band stream errors and malformed JSON.
 */
import { describe, expect, it } from 'vitest';
import { parseSseText } from '../src/index';
import { postJson, startTriton } from './triton-helpers';

const models = [
  { name: 'mock_llm', profile: 'mock_llm' as const },
  { name: 'llama', profile: 'vllm' as const },
];
const streamBody = { PROMPT: ['hello world'], STREAM: true, REPETITION: 3 };

/** Reads a body chunk by chunk, keeping what arrived before the connection failed. */
async function readUntilCut(response: Response): Promise<{ text: string; error?: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe('Triton fault injection', () => {
  it('answers an injected status in Triton shape with retry-after, per header or queued', async () => {
    const emu = await startTriton({ models });
    const url = `${emu.url}/v2/models/mock_llm/generate`;
    const viaHeader = await postJson(
      url,
      { PROMPT: 'a', STREAM: false },
      {
        'x-switchyard-fault': 'status=503;retry-after=2',
      },
    );
    expect(viaHeader.status).toBe(503);
    expect(viaHeader.headers.get('retry-after')).toBe('2');
    expect(viaHeader.body).toEqual({ error: 'injected fault: HTTP 503' });
    emu.inject({ status: 500, times: 2, path: '/v2/models/mock_llm/generate' });
    const health = await fetch(`${emu.url}/v2/health/ready`);
    expect(health.status).toBe(200);
    expect((await postJson(url, { PROMPT: 'a', STREAM: false })).status).toBe(500);
    expect((await postJson(url, { PROMPT: 'a', STREAM: false })).status).toBe(500);
    expect((await postJson(url, { PROMPT: 'a', STREAM: false })).status).toBe(200);
    const openai = await postJson(
      `${emu.url}/v1/models`,
      {},
      { 'x-switchyard-fault': 'status=429' },
    );
    expect(openai.body).toEqual({ detail: 'injected fault: HTTP 429' });
  });

  it('refuses a malformed fault header with 400 naming the key', async () => {
    const emu = await startTriton({ models });
    const got = await fetch(`${emu.url}/v2`, { headers: { 'x-switchyard-fault': 'explode=1' } });
    expect(got.status).toBe(400);
    expect(((await got.json()) as { error: string }).error).toContain('unknown key "explode"');
  });

  it('delays the response by delay-ms', async () => {
    const emu = await startTriton({ models });
    const started = performance.now();
    const got = await fetch(`${emu.url}/v2`, { headers: { 'x-switchyard-fault': 'delay-ms=150' } });
    expect(got.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stalls headers so a client timeout fires, and logs the request as aborted', async () => {
    const emu = await startTriton({ models });
    const attempt = fetch(`${emu.url}/v2/health/live`, {
      headers: { 'x-switchyard-fault': 'stall-headers-ms=5000' },
      signal: AbortSignal.timeout(100),
    });
    await expect(attempt).rejects.toThrow();
    const entry = await emu.requests.waitFor(e => e.path === '/v2/health/live' && e.aborted);
    expect(entry.status).toBeUndefined();
  });

  it('drops the connection after N stream events, or half-way through a JSON body', async () => {
    const emu = await startTriton({ models });
    const streamed = await fetch(`${emu.url}/v2/models/mock_llm/generate_stream`, {
      method: 'POST',
      headers: { 'x-switchyard-fault': 'drop-after=1' },
      body: JSON.stringify(streamBody),
    });
    expect(streamed.status).toBe(200);
    const cut = await readUntilCut(streamed);
    expect(cut.text).toBe(
      'data: {"TEXT":"hello world","model_name":"mock_llm","model_version":"1"}\n\n',
    );
    const whole = await fetch(`${emu.url}/v2/models/mock_llm/generate`, {
      method: 'POST',
      headers: { 'x-switchyard-fault': 'drop-after=0' },
      body: JSON.stringify({ PROMPT: 'a', STREAM: false }),
    });
    await expect(whole.text()).rejects.toThrow();
    await emu.requests.waitFor(e => e.path === '/v2/models/mock_llm/generate' && e.aborted);
  });

  it('sends an in-band error event after N events under the 200 already sent', async () => {
    const emu = await startTriton({ models });
    const got = await postJson(`${emu.url}/v2/models/mock_llm/generate_stream`, streamBody, {
      'x-switchyard-fault': 'stream-error-after=2',
    });
    expect(got.status).toBe(200);
    const events = parseSseText(got.text).map(e => e.data);
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual({ error: 'injected fault: the stream failed' });
  });

  it('sends a truncated JSON body for malformed-json', async () => {
    const emu = await startTriton({ models });
    const got = await postJson(
      `${emu.url}/v2/models/llama/generate`,
      { text_input: 'x' },
      {
        'x-switchyard-fault': 'malformed-json',
      },
    );
    expect(got.status).toBe(200);
    expect(() => JSON.parse(got.text)).toThrow();
  });
});
