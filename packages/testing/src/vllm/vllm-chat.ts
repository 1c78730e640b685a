/** `POST /v1/chat/completions`: non-streaming and streaming responses. */
import { sseJson } from '@switchyard/core';
import { countTokens, splitTokens } from '../shared/text-generator';
import { sleep, type TokenPacer } from '../shared/timing';
import { admitGeneration } from './vllm-admission';
import { checkChatRequest } from './vllm-chat-request';
import {
  type RouteCall,
  randomHex,
  reply,
  resolveModel,
  unixNow,
  type VllmContext,
} from './vllm-context';
import { badRequest } from './vllm-errors';
import { type GeneratedChoice, generateChoice } from './vllm-generation';
import { renderChatPrompt } from './vllm-prompt';
import {
  checkContextLength,
  checkSamplingValues,
  requireObjectBody,
  stopList,
  streamUsageOptions,
} from './vllm-sampling';
import { openVllmStream } from './vllm-sse';
import { planToolCall } from './vllm-tools';

/** Handles a chat completion request. */
export async function handleChat(ctx: VllmContext, call: RouteCall): Promise<void> {
  const body = requireObjectBody(call.body);
  checkChatRequest(body);
  const model = resolveModel(ctx, body.model);
  const messages = body.messages as unknown[];
  const prompt = renderChatPrompt(messages, body.add_generation_prompt !== false);
  const promptTokens = countTokens(prompt);
  const requested = (body.max_completion_tokens ?? body.max_tokens) as number | null | undefined;
  checkSamplingValues(body, requested ?? undefined);
  checkContextLength(ctx, { promptTokens, maxTokens: requested ?? undefined });
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const toolChoice = body.tool_choice ?? (hasTools ? 'auto' : 'none');
  if (toolChoice === 'auto' && hasTools && !ctx.enableAutoToolChoice) {
    throw badRequest(
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
    );
  }
  const maxTokens = requested ?? ctx.maxModelLen - promptTokens;
  const thinkingOff =
    body.include_reasoning === false ||
    (typeof body.chat_template_kwargs === 'object' &&
      (body.chat_template_kwargs as Record<string, unknown>).enable_thinking === false);
  const n = (body.n as number | undefined) ?? 1;
  const seedBase = body.seed != null ? `${prompt}\u0000seed:${String(body.seed)}` : prompt;
  const choices: GeneratedChoice[] = [];
  for (let i = 0; i < n; i++) {
    const seedText = i === 0 ? seedBase : `${seedBase}\u0000choice:${i}`;
    const toolCall = planToolCall({
      tools: body.tools as unknown[] | undefined,
      toolChoice,
      messages,
      seedText,
    });
    choices.push(
      generateChoice({
        seedText,
        maxTokens,
        stop: stopList(body.stop),
        includeStopStrInOutput: body.include_stop_str_in_output === true,
        scriptedText: ctx.scriptedText,
        reasoning: ctx.reasoningParser !== undefined && !thinkingOff,
        ...(toolCall ? { toolCall } : {}),
      }),
    );
  }
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const admitted = await admitGeneration(ctx, call, {
    prompts: [prompt],
    promptTokens,
    contextTokens: promptTokens + maxTokens,
  });
  if (admitted === undefined) return;
  const { pacer, done, cacheSequence } = admitted;
  try {
    const head = { id: `chatcmpl-${randomHex()}`, created: unixNow(), model };
    if (body.stream === true) {
      await streamChat(ctx, call, {
        head,
        choices,
        promptTokens,
        usage: streamUsageOptions(body),
        pacer,
      });
    } else {
      await sleep(pacer.totalMs(Math.max(0, ...choices.map(c => c.completionTokens))), undefined);
      reply(call, {
        id: head.id,
        object: 'chat.completion',
        created: head.created,
        model,
        choices: choices.map((choice, index) => ({
          index,
          message: message(ctx, choice),
          logprobs: null,
          finish_reason: choice.finishReason,
          stop_reason: choice.stopReason,
          token_ids: null,
        })),
        service_tier: null,
        system_fingerprint: null,
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens + completionTokens,
          completion_tokens: completionTokens,
          prompt_tokens_details: null,
        },
        prompt_logprobs: null,
        prompt_token_ids: null,
        kv_transfer_params: null,
      });
    }
    ctx.metrics.record({
      promptTokens,
      generationTokens: completionTokens,
      finishReasons: choices.map(c => c.finishReason),
    });
    cacheSequence(prompt, choices[0]?.contentPieces.join('') ?? '');
  } finally {
    done();
  }
}

function message(ctx: VllmContext, choice: GeneratedChoice): Record<string, unknown> {
  const reasoning = choice.reasoningPieces.length > 0 ? choice.reasoningPieces.join('') : null;
  const call = choice.toolCall;
  return {
    role: 'assistant',
    content: call ? (call.named ? '' : null) : choice.contentPieces.join(''),
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
    tool_calls: call
      ? [
          {
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          },
        ]
      : [],
    ...reasoningFields(ctx, reasoning),
  };
}

function reasoningFields(ctx: VllmContext, value: string | null): Record<string, string | null> {
  if (ctx.reasoningField === 'both') return { reasoning: value, reasoning_content: value };
  return { [ctx.reasoningField]: value };
}

interface StreamPlan {
  head: { id: string; created: number; model: string };
  choices: GeneratedChoice[];
  promptTokens: number;
  usage: { include: boolean; continuous: boolean };
  pacer: TokenPacer;
}

/** One step of a choice's stream: a delta and how many tokens it adds. */
interface Step {
  delta: Record<string, unknown>;
  tokens: number;
}

function steps(ctx: VllmContext, choice: GeneratedChoice): Step[] {
  const out: Step[] = [];
  for (const piece of choice.reasoningPieces)
    out.push({ delta: reasoningFields(ctx, piece), tokens: 1 });
  const call = choice.toolCall;
  if (call) {
    out.push({
      delta: {
        tool_calls: [
          { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      },
      tokens: 0,
    });
    for (const piece of splitTokens(call.arguments)) {
      out.push({
        delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
        tokens: countTokens(piece),
      });
    }
  }
  for (const piece of choice.contentPieces) out.push({ delta: { content: piece }, tokens: 1 });
  return out;
}

async function streamChat(ctx: VllmContext, call: RouteCall, plan: StreamPlan): Promise<void> {
  const { head, choices, promptTokens } = plan;
  const stream = openVllmStream(ctx, call);
  let generated = 0;
  const chunk = (choiceList: unknown[]) => {
    const usage = plan.usage.continuous
      ? {
          usage: {
            prompt_tokens: promptTokens,
            total_tokens: promptTokens + generated,
            completion_tokens: generated,
          },
        }
      : {};
    return sseJson({ ...chunkHead(head), choices: choiceList, ...usage });
  };
  for (let index = 0; index < choices.length; index++) {
    const first = {
      index,
      delta: { role: 'assistant', content: '' },
      logprobs: null,
      finish_reason: null,
    };
    if (!(await stream.send(chunk([first])))) return;
  }
  const perChoice = choices.map(choice => steps(ctx, choice));
  const longest = Math.max(0, ...perChoice.map(s => s.length));
  for (let t = 0; t < longest; t++) {
    await plan.pacer.beforeToken(t, stream.signal);
    for (let index = 0; index < perChoice.length; index++) {
      const step = perChoice[index]![t];
      if (!step) continue;
      generated += step.tokens;
      const body = { index, delta: step.delta, logprobs: null, finish_reason: null };
      if (!(await stream.send(chunk([body])))) return;
    }
  }
  for (let index = 0; index < choices.length; index++) {
    const choice = choices[index]!;
    const last = {
      index,
      delta: {},
      logprobs: null,
      finish_reason: choice.finishReason,
      stop_reason: choice.stopReason,
    };
    if (!(await stream.send(chunk([last])))) return;
  }
  if (plan.usage.include) {
    const total = choices.reduce((sum, c) => sum + c.completionTokens, 0);
    const usage = {
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + total,
      completion_tokens: total,
    };
    if (!(await stream.send(sseJson({ ...chunkHead(head), choices: [], usage })))) return;
  }
  stream.end();
}

function chunkHead(head: StreamPlan['head']): Record<string, unknown> {
  return { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model };
}
