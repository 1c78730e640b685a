/**
 * `/v1/chat/completions` and `/v1/completions` of Triton's OpenAI frontend:
 * the request becomes backend tensors, the answer comes back in OpenAI's
 * shapes (ids `cmpl-<uuid>`, chat messages with `tool_calls: null` and
 * `function_call: null`, usage without details), streams end with `[DONE]`.
 */
import { randomUUID } from 'node:crypto';
import { sendJsonWithFault } from '../shared/fault-responder';
import { SseStream } from '../shared/sse-stream';
import { countTokens } from '../shared/text-generator';
import type { ServedModel } from './model-registry';
import { runModel } from './model-runner';
import { type OpenAiGeneration, readBackendResponse, toBackendRequest } from './openai-backend';
import { type OpenAiBody, openAiError, readGeneration, renderChatPrompt } from './openai-request';
import type { RouteContext } from './route-context';
import { TritonError } from './triton-error';

const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

/** Handles chat (`kind: 'chat'`) or text (`'text'`) completions for an already resolved model. */
export async function handleOpenAiGeneration(options: {
  ctx: RouteContext;
  model: ServedModel;
  body: OpenAiBody;
  kind: 'chat' | 'text';
}): Promise<void> {
  const { ctx, model, body, kind } = options;
  let gen: OpenAiGeneration;
  try {
    const prompt = kind === 'chat' ? renderChatPrompt(body) : readPrompt(body);
    gen = readGeneration(body, prompt);
  } catch (error) {
    return openAiError(ctx, error);
  }
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const name = model.definition.name;
  const request = toBackendRequest(model, gen);
  const responses = runModel({ model, request, timing: ctx.state.timing, signal: ctx.signal });
  const base = { id, created, model: name, system_fingerprint: null };
  const object = kind === 'chat' ? 'chat.completion' : 'text_completion';

  if (!gen.stream) {
    const texts: string[] = [];
    let finish: Array<string | null> = [];
    let inputTokens = countTokens(gen.prompt);
    let outputTokens = 0;
    try {
      for await (const response of responses) {
        const read = readBackendResponse(response, { maxTokens: gen.maxTokens, streaming: false });
        read.texts.forEach((t, i) => {
          texts[i] = (texts[i] ?? '') + t;
        });
        finish = read.finish;
        inputTokens = read.inputTokens;
        outputTokens += read.outputTokens.reduce((a, b) => a + b, 0);
      }
    } catch (error) {
      return openAiError(ctx, error);
    }
    if (ctx.signal.aborted) return;
    const choices = texts.map((text, index) =>
      kind === 'chat'
        ? {
            finish_reason: finish[index] ?? null,
            index,
            message: { content: text, tool_calls: null, role: 'assistant', function_call: null },
            logprobs: null,
          }
        : { finish_reason: finish[index] ?? null, index, logprobs: null, text },
    );
    const usage = {
      completion_tokens: outputTokens,
      prompt_tokens: inputTokens,
      total_tokens: inputTokens + outputTokens,
    };
    return sendJsonWithFault(ctx.res, 200, { ...base, choices, object, usage }, ctx.fault);
  }

  const chunkObject = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sse({
      id,
      choices,
      created,
      model: name,
      system_fingerprint: null,
      object: chunkObject,
      ...extra,
    });
  const iterator = responses[Symbol.asyncIterator]();
  let first: IteratorResult<Awaited<ReturnType<typeof iterator.next>>['value']>;
  try {
    first = await iterator.next();
  } catch (error) {
    return openAiError(ctx, error);
  }
  const out = new SseStream({
    res: ctx.res,
    fault: ctx.fault,
    inBandError: () =>
      `${sse({ error: { message: 'injected fault: the stream failed', type: 'InternalServerError', code: 500 } })}data: [DONE]\n\n`,
    terminator: 'data: [DONE]\n\n',
  });
  out.open(200);
  const choiceCount = gen.n;
  const settled: boolean[] = new Array(choiceCount).fill(false);
  const produced: number[] = new Array(choiceCount).fill(0);
  let inputTokens = countTokens(gen.prompt);
  if (kind === 'chat') {
    for (let index = 0; index < choiceCount; index++) {
      const role = {
        index,
        delta: { role: 'assistant', content: '' },
        logprobs: null,
        finish_reason: null,
      };
      if (!(await out.send(chunk([role])))) return void iterator.return(undefined);
    }
  }
  const piece = (index: number, text: string, finish: string | null) =>
    kind === 'chat'
      ? {
          index,
          delta: text.length > 0 ? { content: text } : {},
          logprobs: null,
          finish_reason: finish,
        }
      : { index, text, logprobs: null, finish_reason: finish };
  let next = first;
  try {
    while (!next.done) {
      const read = readBackendResponse(next.value, { maxTokens: gen.maxTokens, streaming: true });
      inputTokens = read.inputTokens || inputTokens;
      for (let index = 0; index < read.texts.length; index++) {
        const text = read.texts[index]!;
        const finish = read.finish[index] ?? null;
        produced[index] = (produced[index] ?? 0) + (read.outputTokens[index] ?? countTokens(text));
        if (settled[index] || (text.length === 0 && finish === null)) continue;
        if (finish !== null) settled[index] = true;
        if (!(await out.send(chunk([piece(index, text, finish)])))) {
          return void iterator.return(undefined);
        }
      }
      next = await iterator.next();
    }
  } catch (error) {
    const message = TritonError.isInstance(error) ? error.message : String(error);
    await out.send(sse({ error: { message, type: 'InternalServerError', code: 500 } }));
    out.end();
    return;
  }
  for (let index = 0; index < choiceCount; index++) {
    if (settled[index]) continue;
    const finish = (produced[index] ?? 0) >= gen.maxTokens ? 'length' : 'stop';
    if (!(await out.send(chunk([piece(index, '', finish)])))) return;
  }
  if (body.stream_options?.include_usage === true) {
    const completion = produced.reduce((a, b) => a + b, 0);
    const usage = {
      completion_tokens: completion,
      prompt_tokens: inputTokens,
      total_tokens: inputTokens + completion,
    };
    if (!(await out.send(chunk([], { usage })))) return;
  }
  out.end();
}

function readPrompt(body: OpenAiBody): string {
  const prompt = body.prompt;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string')
    return prompt[0];
  throw new TritonError('INVALID_ARG', 'prompt must be a string (or a list holding one string)');
}
