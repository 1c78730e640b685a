/**
 * Context-length errors in vLLM's words: the serving layer's two sentences
 * (prompt alone; prompt plus max_tokens), older releases' sentences, and
 * the engine's "decoder prompt" text only when media expansion gets past
 * the serving check (LiteLLM maps all of them to ContextWindowExceededError).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator, type VllmEmulatorOptions } from '../src/index';

let emu: VllmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function errorFor(options: VllmEmulatorOptions, path: string, body: unknown) {
  emu ??= await startVllmEmulator({ model: 'm', ...options });
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read error bodies loosely
  return { status: res.status, json: (await res.json()) as any };
}

// "<|user|>\n" + content + "\n<|assistant|>\n": two marker tokens plus the words.
const chat = (words: number, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content: Array.from({ length: words }, (_, i) => `w${i}`).join(' ') }],
  ...extra,
});

describe('serving-layer check (vLLM >= 0.10.1)', () => {
  it('a prompt that fills the context is refused with the input-token sentence', async () => {
    const res = await errorFor({ maxModelLen: 10 }, '/v1/chat/completions', chat(8));
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({
      message:
        "This model's maximum context length is 10 tokens. However, your request has 10 input tokens. Please reduce the length of the input messages.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
  });

  it('prompt plus max_tokens over the context names max_tokens', async () => {
    const res = await errorFor({ maxModelLen: 10 }, '/v1/chat/completions', {
      ...chat(1),
      max_tokens: 9,
    });
    expect(res.json.error.message).toBe(
      "'max_tokens' or 'max_completion_tokens' is too large: 9. This model's maximum context length is 10 tokens and your request has 3 input tokens (9 > 10 - 3).",
    );
  });

  it('completions apply the same sentences (the 16-token default counts)', async () => {
    const res = await errorFor({ maxModelLen: 10 }, '/v1/completions', { prompt: 'a b' });
    expect(res.json.error.message).toBe(
      "'max_tokens' or 'max_completion_tokens' is too large: 16. This model's maximum context length is 10 tokens and your request has 3 input tokens (16 > 10 - 3).",
    );
  });
});

describe('earlier wording', () => {
  it('legacy shape: the messages/completion sentences', async () => {
    const over = await errorFor({ maxModelLen: 10, errorShape: 'legacy' }, '/v1/completions', {
      prompt: 'a b',
      max_tokens: 9,
    });
    expect(over.json).toEqual({
      object: 'error',
      message:
        "This model's maximum context length is 10 tokens. However, you requested 12 tokens (3 in the messages, 9 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    const alone = await errorFor({}, '/v1/chat/completions', chat(8));
    expect(alone.json.message).toBe(
      "This model's maximum context length is 10 tokens. However, you requested 10 tokens in the messages, Please reduce the length of the messages.",
    );
  });

  it('a 0.10.0 server in the current shape still words it the earlier way', async () => {
    const res = await errorFor({ maxModelLen: 10, version: '0.10.0' }, '/v1/chat/completions', {
      ...chat(1),
      max_tokens: 9,
    });
    expect(res.json.error.message).toBe(
      "This model's maximum context length is 10 tokens. However, you requested 12 tokens (3 in the messages, 9 in the completion). Please reduce the length of the messages or completion.",
    );
  });
});

describe('engine check', () => {
  const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };

  it('an image that expands past the context gets the decoder-prompt text', async () => {
    const res = await errorFor({ maxModelLen: 40 }, '/v1/chat/completions', {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'describe' }, image] }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      'The decoder prompt (length 67) is longer than the maximum model length of 40. Make sure that `max_model_len` is no smaller than the number of text tokens plus multimodal tokens. For image inputs, the number of image tokens depends on the number of images, and possibly their aspect ratios as well.',
    );
  });

  it('an expanded image that fits counts in usage', async () => {
    emu = await startVllmEmulator({ model: 'm', maxModelLen: 100 });
    const res = await fetch(`${emu.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'describe' }, image] }],
        max_tokens: 5,
      }),
    });
    const body = (await res.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens).toBe(67);
  });
});
