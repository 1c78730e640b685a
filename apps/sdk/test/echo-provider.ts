import { createServer, type Server } from 'node:http';
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type Provider,
  readSseJson,
} from '@switchyard/core';

/**
 * A small real provider (as a third party would publish one) and the
 * OpenAI-compatible loopback server it talks to. The server answers 503 with
 * retry-after while `failures` is above zero, and echoes the last user
 * message otherwise.
 */
export interface EchoUpstream {
  url: string;
  calls: Array<{ path: string; body: Record<string, unknown>; headers: Record<string, unknown> }>;
  failures: number;
  close(): Promise<void>;
}

export async function startEchoUpstream(): Promise<EchoUpstream> {
  const state: EchoUpstream = { url: '', calls: [], failures: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      state.calls.push({ path: req.url ?? '', body, headers: req.headers });
      if (state.failures > 0) {
        state.failures--;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end('{"error":"warming up"}');
        return;
      }
      const messages = body.messages as Array<{ content: string }>;
      const text = `echo: ${messages.at(-1)?.content ?? ''}`;
      const base = { id: 'chatcmpl-echo', created: 1, model: String(body.model) };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-upstream': 'echo' });
        for (const word of text.split(' ')) {
          const chunk = {
            ...base,
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { content: `${word} ` } }],
          };
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        res.end('data: [DONE]\n\n');
        return;
      }
      const completion: ChatCompletion = {
        ...base,
        object: 'chat.completion',
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      };
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'echo' });
      res.end(JSON.stringify(completion));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise(resolve => server.close(() => resolve()));
  return state;
}

export const echoProvider: Provider = {
  id: 'echo',
  optionKeys: ['echo_mode'],
  async chat(request, ctx) {
    const { data, headers } = await ctx.http.json<ChatCompletion>({
      url: `${ctx.apiBase}/v1/chat/completions`,
      json: { ...request, model: ctx.model, echo_mode: ctx.options.echo_mode },
      headers: ctx.headers,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      provider: 'echo',
      model: ctx.model,
    });
    return { data, headers };
  },
  async chatStream(request, ctx) {
    const res = await ctx.http.stream({
      url: `${ctx.apiBase}/v1/chat/completions`,
      json: { ...request, model: ctx.model, stream: true },
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
    return {
      stream: readSseJson<ChatCompletionChunk>(res.body, { requireDone: true }),
      headers: res.headers,
    };
  },
};
