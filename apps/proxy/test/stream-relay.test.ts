/**
 * The streaming relay's fast path: plain chunks go to the client as the
 * upstream's bytes without being parsed, while chunks carrying usage, a
 * finish reason, reasoning or an error are still read. The upstream here is
 * a real HTTP server whose stream each test writes part by part, so a chunk
 * can be cut across TCP reads exactly where the test wants.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';

/** An upstream that hands each streaming request's response to the test. */
function scriptedUpstream() {
  const waiting: Array<(res: ServerResponse) => void> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.flushHeaders();
      waiting.shift()?.(res);
    });
  });
  return {
    server,
    /** The response of the next request, headers sent, for the test to write. */
    nextResponse: () => new Promise<ServerResponse>(resolve => waiting.push(resolve)),
  };
}

/** A vLLM chat chunk's JSON text. */
function chunk(delta: Record<string, unknown>, more: Record<string, unknown> = {}): string {
  const { finish_reason = null, ...top } = more;
  return JSON.stringify({
    id: 'chatcmpl-7',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, logprobs: null, finish_reason }],
    ...top,
  });
}
const frame = (json: string) => `data: ${json}\n\n`;

/** Text of a response body as it arrives; `until` waits for a condition on it. */
function receive(body: AsyncIterable<Buffer>) {
  let text = '';
  const waiters: Array<{ test: (t: string) => boolean; resolve: () => void }> = [];
  const done = (async () => {
    for await (const piece of body) {
      text += piece.toString('utf8');
      for (const w of waiters.filter(w => w.test(text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return text;
  })();
  return {
    done,
    until: (test: (t: string) => boolean) =>
      test(text)
        ? Promise.resolve()
        : new Promise<void>(resolve => waiters.push({ test, resolve })),
  };
}

describe('streaming relay', () => {
  let upstream: ReturnType<typeof scriptedUpstream>;
  let proxy: RunningProxy;
  beforeAll(async () => {
    upstream = scriptedUpstream();
    await new Promise<void>(resolve => upstream.server.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.server.address() as AddressInfo;
    const { config } = parseConfig({
      model_list: [
        {
          model_name: 'm',
          litellm_params: { model: 'hosted_vllm/m', api_base: `http://127.0.0.1:${port}` },
        },
      ],
      router_settings: { num_retries: 0 },
      general_settings: {
        disable_spend_logs: true,
        switchyard_data_dir: join(tmpdir(), `switchyard-relay-test-${process.pid}`),
      },
    });
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await proxy?.close();
    upstream.server.closeAllConnections();
    await new Promise(resolve => upstream.server.close(resolve));
  });

  const post = (body: Record<string, unknown>) =>
    request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  it('relays plain chunks byte for byte, one cut across TCP reads inside a character', async () => {
    const answer = upstream.nextResponse();
    const pending = post({ stream: true });
    const up = await answer;
    // Spacing JSON.stringify would not reproduce: only relayed bytes keep it.
    const spaced = (content: string) => chunk({ content }).replace('"delta":', '"delta" : ');
    const first = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'The' }),
      spaced(' quick'),
    ];
    const cut = Buffer.from(frame(spaced(' bröwn')));
    const at = cut.indexOf(0xc3) + 1; // between the two bytes of "ö"
    up.write(first.map(frame).join('') + frame(spaced(' fox')));
    up.write(cut.subarray(0, at));
    // The proxy answers once the first chunk is here.
    const res = await pending;
    const body = receive(res.body);
    // The proxy relayed everything before the cut: the rest is a later read.
    await body.until(t => t.includes(' fox'));
    const last = chunk({}, { finish_reason: 'length' });
    up.end(Buffer.concat([cut.subarray(at), Buffer.from(`${frame(last)}data: [DONE]\n\n`)]));
    const text = await body.done;
    expect(res.statusCode).toBe(200);
    expect(text).toBe(
      `${[...first, spaced(' fox'), spaced(' bröwn'), last].map(frame).join('')}data: [DONE]\n\n`,
    );
  });

  it('reads usage from the last content chunk, however the upstream spaces it', async () => {
    const before = await totalTokens();
    const answer = upstream.nextResponse();
    const pending = post({ stream: true });
    const up = await answer;
    const usage = '"usage" : {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}';
    const tail = chunk({ content: '!' }, { finish_reason: 'stop' }).replace(/}$/, `,${usage}}`);
    up.end(
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Hi' }),
        chunk({ content: ' there' }),
        tail,
      ]
        .map(frame)
        .join('') + 'data: [DONE]\n\n',
    );
    const text = await receive((await pending).body).done;
    // Parsed for its usage and finish reason, then relayed as it came: the normaliser had
    // nothing held back to release at the finish, so the chunk is not serialised again.
    expect(text).toContain(`data: ${tail}\n\n`);
    expect((await totalTokens()) - before).toBe(8);
  });

  it('reads usage from a chunk that looks plain around its content but is not', async () => {
    const before = await totalTokens();
    const answer = upstream.nextResponse();
    const pending = post({ stream: true });
    const up = await answer;
    const plain = chunk({ content: 'x' });
    const at = plain.indexOf('"x"') + 1;
    // The bytes before and after the content string are a plain chunk's; its quote closes early.
    const usage = '"usage":{"prompt_tokens":2,"completion_tokens":5,"total_tokens":7}';
    const middle = `x"},"logprobs":null,"finish_reason":null}],${usage},"w":[{"d":{"c":"`;
    const forged = `${plain.slice(0, at)}${middle}${plain.slice(at + 1)}`;
    const events = [
      chunk({ role: 'assistant', content: '' }),
      ...['A', 'B', 'C'].map(content => chunk({ content })),
      forged,
      chunk({ content: 'D' }),
      chunk({}, { finish_reason: 'stop' }),
    ];
    // One write: the plain chunks and the forged one reach the proxy in one read.
    up.end(`${events.map(frame).join('')}data: [DONE]\n\n`);
    const text = await receive((await pending).body).done;
    expect(text).toBe(`${events.map(frame).join('')}data: [DONE]\n\n`);
    expect((await totalTokens()) - before).toBe(7);
  });

  it("ends with OpenAI's error event, not [DONE], when an in-band error follows relayed chunks", async () => {
    const answer = upstream.nextResponse();
    const pending = post({ stream: true });
    const up = await answer;
    const error =
      '{"error":{"object":"error","message":"engine crashed","type":"InternalServerError","code":500}}';
    const plain = ['A', 'B', 'C'].map(content => chunk({ content }));
    up.end(
      `${[chunk({ role: 'assistant', content: '' }), ...plain, error].map(frame).join('')}data: [DONE]\n\n`,
    );
    const text = await receive((await pending).body).done;
    const events = text.split('\n\n').filter(Boolean);
    expect(events.slice(1, 4)).toEqual(plain.map(p => `data: ${p}`));
    // The proxy's own error event (OpenAI's shape), never the upstream's relayed.
    const last = JSON.parse(events.at(-1)!.slice('data: '.length));
    expect(last.error).toMatchObject({ message: expect.stringContaining('engine crashed') });
    expect(last.error.object).toBeUndefined();
    expect(text).not.toContain('[DONE]');
  });

  it('splits a leading <think> block into reasoning and relays the answer after it', async () => {
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    const answer = upstream.nextResponse();
    const pending = client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const up = await answer;
    const pieces = ['<th', 'ink>step one', '</think>The', ' answer', ' is', ' 42'];
    up.end(
      [
        chunk({ role: 'assistant', content: '' }),
        ...pieces.map(content => chunk({ content })),
        chunk({}, { finish_reason: 'stop' }),
      ]
        .map(frame)
        .join('') + 'data: [DONE]\n\n',
    );
    const stream = await pending;
    let content = '';
    let reasoning = '';
    let finish: string | null | undefined;
    for await (const part of stream) {
      const delta = part.choices[0]?.delta as { content?: string; reasoning_content?: string };
      content += delta?.content ?? '';
      reasoning += delta?.reasoning_content ?? '';
      finish = part.choices[0]?.finish_reason ?? finish;
    }
    expect(reasoning).toBe('step one');
    expect(content).toBe('The answer is 42');
    expect(finish).toBe('stop');
  });

  /** The proxy's litellm_total_tokens_metric, summed over its labels. */
  async function totalTokens(): Promise<number> {
    const res = await request(`${proxy.url}/metrics`);
    const text = await res.body.text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('litellm_total_tokens_metric')) sum += Number(line.split(' ').at(-1));
    }
    return sum;
  }
});
