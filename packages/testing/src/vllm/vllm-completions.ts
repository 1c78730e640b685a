/** `POST /v1/completions`: non-streaming and streaming responses. */
import { sseJson } from '@switchyard/core';
import { sleep, type TokenPacer } from '../shared/timing';
import type { FieldRule } from './field-checks';
import { valueErrorIssue } from './pydantic-message';
import { admitGeneration } from './vllm-admission';
import {
  type RouteCall,
  randomHex,
  reply,
  resolveModel,
  unixNow,
  type VllmContext,
} from './vllm-context';
import { type GeneratedChoice, generateChoice } from './vllm-generation';
import { textPromptTokens } from './vllm-prompt';
import {
  checkContextLength,
  checkSamplingRequest,
  checkSamplingValues,
  requireObjectBody,
  SAMPLING_RULES,
  stopList,
  streamUsageOptions,
} from './vllm-sampling';
import { openVllmStream } from './vllm-sse';

const COMPLETION_RULES: Record<string, FieldRule> = {
  ...SAMPLING_RULES,
  echo: { kind: 'bool' },
  logprobs: { kind: 'int' },
  add_special_tokens: { kind: 'bool' },
  suffix: { kind: 'string' },
};

/** One prompt of a request: its text (or token ids rendered as text) and token count. */
interface PromptInput {
  text: string;
  tokens: number;
}

/** vLLM's completions default (spec §A.3). */
const DEFAULT_MAX_TOKENS = 16;

function prompts(body: Record<string, unknown>): PromptInput[] | undefined {
  const prompt = body.prompt;
  const special = body.add_special_tokens !== false;
  const isIds = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every(x => Number.isInteger(x));
  if (typeof prompt === 'string')
    return [{ text: prompt, tokens: textPromptTokens(prompt, special) }];
  if (isIds(prompt) && prompt.length > 0)
    return [{ text: prompt.join(' '), tokens: prompt.length }];
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every(p => typeof p === 'string')) {
      return (prompt as string[]).map(p => ({ text: p, tokens: textPromptTokens(p, special) }));
    }
    if (prompt.every(isIds))
      return (prompt as number[][]).map(ids => ({ text: ids.join(' '), tokens: ids.length }));
  }
  return undefined;
}

/** Handles a text completion request. */
export async function handleCompletions(ctx: VllmContext, call: RouteCall): Promise<void> {
  const body = requireObjectBody(call.body);
  let inputs: PromptInput[] | undefined;
  checkSamplingRequest(body, COMPLETION_RULES, b => {
    inputs = prompts(b);
    return inputs
      ? []
      : [valueErrorIssue('Either prompt or prompt_embeds must be provided and non-empty.', b)];
  });
  const model = resolveModel(ctx, body.model);
  const requested = (body.max_tokens as number | null | undefined) ?? DEFAULT_MAX_TOKENS;
  checkSamplingValues(body, requested);
  for (const input of inputs!)
    checkContextLength(ctx, { promptTokens: input.tokens, maxTokens: requested });
  const n = (body.n as number | undefined) ?? 1;
  const choices: { choice: GeneratedChoice; prompt: PromptInput }[] = [];
  for (const input of inputs!) {
    const seedBase =
      body.seed != null ? `${input.text}\u0000seed:${String(body.seed)}` : input.text;
    for (let i = 0; i < n; i++) {
      const choice = generateChoice({
        seedText: i === 0 ? seedBase : `${seedBase}\u0000choice:${i}`,
        maxTokens: requested,
        stop: stopList(body.stop),
        includeStopStrInOutput: body.include_stop_str_in_output === true,
        scriptedText: ctx.scriptedText,
        reasoning: false,
      });
      // Completions continue the prompt, so the first word needs its space.
      if (ctx.scriptedText === undefined && choice.contentPieces[0] !== undefined) {
        choice.contentPieces[0] = ` ${choice.contentPieces[0]}`;
      }
      choices.push({ choice, prompt: input });
    }
  }
  const promptTokens = inputs!.reduce((sum, p) => sum + p.tokens, 0);
  const completionTokens = choices.reduce((sum, c) => sum + c.choice.completionTokens, 0);
  const admitted = await admitGeneration(ctx, call, {
    prompts: inputs!.map(input => input.text),
    promptTokens,
    contextTokens: promptTokens + requested * choices.length,
  });
  if (admitted === undefined) return;
  const { pacer, done, cacheSequence } = admitted;
  try {
    const head = {
      id: `cmpl-${randomHex()}`,
      object: 'text_completion',
      created: unixNow(),
      model,
    };
    if (body.stream === true) {
      await streamCompletions(ctx, call, {
        head,
        choices: choices.map(c => c.choice),
        promptTokens,
        usage: streamUsageOptions(body),
        pacer,
      });
    } else {
      await sleep(pacer.totalMs(Math.max(0, ...choices.map(c => c.choice.completionTokens))));
      reply(call, {
        ...head,
        choices: choices.map(({ choice, prompt }, index) => ({
          index,
          text: (body.echo === true ? prompt.text : '') + choice.contentPieces.join(''),
          logprobs: null,
          finish_reason: choice.finishReason,
          stop_reason: choice.stopReason,
          prompt_logprobs: null,
        })),
        service_tier: null,
        system_fingerprint: null,
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens + completionTokens,
          completion_tokens: completionTokens,
          prompt_tokens_details: null,
        },
        kv_transfer_params: null,
      });
    }
    ctx.metrics.record({
      promptTokens,
      generationTokens: completionTokens,
      finishReasons: choices.map(c => c.choice.finishReason),
    });
    const first = choices[0];
    if (first) cacheSequence(first.prompt.text, first.choice.contentPieces.join(''));
  } finally {
    done();
  }
}

interface StreamPlan {
  head: { id: string; object: string; created: number; model: string };
  choices: GeneratedChoice[];
  promptTokens: number;
  usage: { include: boolean; continuous: boolean };
  pacer: TokenPacer;
}

async function streamCompletions(
  ctx: VllmContext,
  call: RouteCall,
  plan: StreamPlan,
): Promise<void> {
  const { head, choices, promptTokens } = plan;
  const stream = openVllmStream(ctx, call);
  let generated = 0;
  // Every choice sends at least one chunk: the one that carries its finish_reason.
  const longest = Math.max(1, ...choices.map(c => c.contentPieces.length));
  for (let t = 0; t < longest; t++) {
    await plan.pacer.beforeToken(t, stream.signal);
    for (let index = 0; index < choices.length; index++) {
      const choice = choices[index]!;
      const pieces = choice.contentPieces;
      const last = Math.max(0, pieces.length - 1);
      if (t > last) continue;
      generated += pieces.length > 0 ? 1 : 0;
      if (t === last) generated += choice.completionTokens - pieces.length;
      const usage = plan.usage.continuous
        ? {
            prompt_tokens: promptTokens,
            total_tokens: promptTokens + generated,
            completion_tokens: generated,
          }
        : null;
      const event = {
        ...head,
        choices: [
          {
            index,
            text: pieces[t] ?? '',
            logprobs: null,
            finish_reason: t === last ? choice.finishReason : null,
            stop_reason: t === last ? choice.stopReason : null,
            prompt_token_ids: null,
            token_ids: null,
          },
        ],
        usage,
      };
      if (!(await stream.send(sseJson(event)))) return;
    }
  }
  if (plan.usage.include) {
    const total = choices.reduce((sum, c) => sum + c.completionTokens, 0);
    const usage = {
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + total,
      completion_tokens: total,
    };
    if (!(await stream.send(sseJson({ ...head, choices: [], usage })))) return;
  }
  stream.end();
}
