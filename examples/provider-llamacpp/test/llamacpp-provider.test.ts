import { createServer, type Server } from 'node:http';
import { collectStream, completion, getResponseMeta, registerProvider } from '@switchyard/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llamaCppProvider } from '../src/index';

/**
 * A stand-in for llama.cpp's server speaking its documented `/completion`
 * API: it answers with the prompt's last word repeated, counts tokens as
 * words, and stops at `n_predict` (limit) or after three words (eos).
 */
let server: Server;
let url: string;
const seen: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as { prompt: string; n_predict: number; stream: boolean };
      seen.push(body);
      const word = body.prompt.trim().split(/\s+/).at(-1) ?? '';
      const limit = body.n_predict > 0 ? Math.min(body.n_predict, 3) : 3;
      const words = Array.from({ length: limit }, () => ` ${word}`);
      const final = {
        stop: true,
        stop_type: body.n_predict > 0 && body.n_predict <= 3 ? 'limit' : 'eos',
        tokens_evaluated: body.prompt.trim().split(/\s+/).length,
        tokens_predicted: words.length,
      };
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ content: words.join(''), ...final }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of words)
        res.write(`data: ${JSON.stringify({ content: piece, stop: false })}\n\n`);
      res.end(`data: ${JSON.stringify({ content: '', ...final })}\n\n`);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  registerProvider(llamaCppProvider);
});
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

describe('llamacpp/ through the SDK', () => {
  it('renders the prompt with the model template and reports real usage', async () => {
    const response = await completion({
      model: 'llamacpp/meta-llama/Llama-2-7b-chat',
      messages: [{ role: 'user', content: 'say hello' }],
      api_base: url,
      max_tokens: 2,
    });
    expect(seen.at(-1)).toMatchObject({
      prompt: '<s>[INST] say hello [/INST]\n',
      n_predict: 2,
      stream: false,
    });
    expect(response.choices[0]).toMatchObject({
      message: { content: ' [/INST] [/INST]' },
      finish_reason: 'length',
    });
    expect(response.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    expect(getResponseMeta(response)?.provider).toBe('llamacpp');
  });

  it('streams deltas and ends with the finish reason and usage', async () => {
    const stream = await completion({
      model: 'llamacpp/any-model',
      messages: [{ role: 'user', content: 'echo me' }],
      api_base: url,
      prompt_template_model: 'default',
      stream: true,
    });
    const full = await collectStream(stream);
    expect(seen.at(-1)).toMatchObject({ prompt: 'echo me', n_predict: -1, stream: true });
    expect(full.choices[0]).toMatchObject({
      message: { content: ' me me me' },
      finish_reason: 'stop',
    });
    expect(full.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it('refuses a call without api_base', async () => {
    await expect(
      completion({ model: 'llamacpp/x', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow('llamacpp/ needs api_base (the llama.cpp server URL)');
  });
});
