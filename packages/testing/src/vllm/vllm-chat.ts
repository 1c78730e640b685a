/** `POST /v1/chat/completions`: non-streaming and streaming responses. */
import { countTokens } from '../shared/text-generator';
import { sleep } from '../shared/timing';
import { constrainedText, readOutputConstraint } from './structured-output';
import { admitGeneration } from './vllm-admission';
import { checkChatRequest } from './vllm-chat-request';
import { chatMessage, generatedTokens } from './vllm-chat-steps';
import { streamChat } from './vllm-chat-stream';
import {
  type RouteCall,
  randomHex,
  reply,
  resolveModel,
  unixNow,
  type VllmContext,
} from './vllm-context';
import { checkEngineContext, checkServingContext, engineTokenCount } from './vllm-context-length';
import { badRequest } from './vllm-errors';
import { type GeneratedChoice, generateChoice } from './vllm-generation';
import { chatLogprobContent, requestedCandidates, tokenChoices } from './vllm-logprobs';
import { countMediaParts, renderChatPrompt } from './vllm-prompt';
import {
  checkSamplingValues,
  requireObjectBody,
  stopList,
  streamUsageOptions,
} from './vllm-sampling';
import { planToolCalls } from './vllm-tools';

/** Handles a chat completion request. */
export async function handleChat(ctx: VllmContext, call: RouteCall): Promise<void> {
  const body = requireObjectBody(call.body);
  checkChatRequest(body);
  const model = resolveModel(ctx, body.model);
  const messages = body.messages as unknown[];
  const prompt = renderChatPrompt(messages, body.add_generation_prompt !== false);
  const servingTokens = countTokens(prompt);
  const requested = (body.max_completion_tokens ?? body.max_tokens) as number | null | undefined;
  checkSamplingValues(body, requested ?? undefined);
  checkServingContext(ctx, { promptTokens: servingTokens, maxTokens: requested ?? undefined });
  const mediaParts = countMediaParts(messages);
  const promptTokens = engineTokenCount(servingTokens, mediaParts);
  checkEngineContext(ctx, { engineTokens: promptTokens, multimodal: mediaParts > 0 });
  const topLogprobs =
    body.logprobs === true ? (requestedCandidates(body.top_logprobs as number) ?? 0) : undefined;
  const maxTokens = requested ?? ctx.maxModelLen - promptTokens;
  const planned = planChoices(ctx, { body, messages, prompt, maxTokens });
  const choices = planned.map(p => p.choice);
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const admitted = await admitGeneration(ctx, call, {
    prompts: [prompt],
    promptTokens,
    contextTokens: promptTokens + maxTokens,
    lora: ctx.lora.get(model),
  });
  if (admitted === undefined) return;
  const { pacer, done, cacheSequence } = admitted;
  try {
    const head = { id: `chatcmpl-${randomHex()}`, created: unixNow(), model };
    let completed = true;
    if (body.stream === true) {
      completed = await streamChat(ctx, call, {
        head,
        choices,
        seeds: planned.map(p => p.seed),
        promptTokens,
        usage: streamUsageOptions(body),
        topLogprobs,
        pacer,
      });
    } else {
      await sleep(pacer.totalMs(Math.max(0, ...choices.map(c => c.completionTokens))), undefined);
      reply(call, {
        id: head.id,
        object: 'chat.completion',
        created: head.created,
        model,
        choices: planned.map(({ choice, seed }, index) => ({
          index,
          message: chatMessage(ctx, choice),
          logprobs: topLogprobs === undefined ? null : messageLogprobs(choice, seed, topLogprobs),
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
          prompt_tokens_details: ctx.promptTokensDetails
            ? { cached_tokens: admitted.cachedTokens }
            : null,
        },
        prompt_logprobs: null,
        prompt_token_ids: null,
        kv_transfer_params: null,
      });
    }
    ctx.metrics.record({
      promptTokens,
      generationTokens: completionTokens,
      // A stream its client left is aborted in the engine (vLLM's finished_reason="abort").
      finishReasons: choices.map(c => (completed ? c.finishReason : 'abort')),
    });
    cacheSequence(prompt, choices[0]?.contentPieces.join('') ?? '');
  } finally {
    done();
  }
}

interface PlanChoicesInput {
  body: Record<string, unknown>;
  messages: unknown[];
  prompt: string;
  maxTokens: number;
}

/** The `n` choices the emulated model generates, each with the seed its values come from. */
function planChoices(
  ctx: VllmContext,
  input: PlanChoicesInput,
): { choice: GeneratedChoice; seed: string }[] {
  const { body, prompt } = input;
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const toolChoice = body.tool_choice ?? (hasTools ? 'auto' : 'none');
  if (toolChoice === 'auto' && hasTools && !ctx.enableAutoToolChoice) {
    throw badRequest(
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
    );
  }
  const constraint = readOutputConstraint(body);
  const thinkingOff =
    body.include_reasoning === false ||
    (typeof body.chat_template_kwargs === 'object' &&
      (body.chat_template_kwargs as Record<string, unknown>).enable_thinking === false);
  const n = (body.n as number | undefined) ?? 1;
  const seedBase = body.seed != null ? `${prompt}\u0000seed:${String(body.seed)}` : prompt;
  const out: { choice: GeneratedChoice; seed: string }[] = [];
  for (let i = 0; i < n; i++) {
    const seedText = i === 0 ? seedBase : `${seedBase}\u0000choice:${i}`;
    const toolCalls = planToolCalls({
      tools: body.tools as unknown[] | undefined,
      toolChoice,
      messages: input.messages,
      seedText,
      parallel: body.parallel_tool_calls === true,
    });
    const choice = generateChoice({
      seedText,
      maxTokens: input.maxTokens,
      stop: stopList(body.stop),
      includeStopStrInOutput: body.include_stop_str_in_output === true,
      scriptedText: ctx.scriptedText,
      reasoning: ctx.reasoningParser !== undefined && !thinkingOff,
      toolCalls,
      ...(constraint ? { constrainedText: constrainedText(constraint, seedText) } : {}),
    });
    out.push({ choice, seed: seedText });
  }
  return out;
}

function messageLogprobs(choice: GeneratedChoice, seed: string, topLogprobs: number) {
  const tokens = generatedTokens(choice);
  const candidates = Math.max(1, topLogprobs);
  return {
    content: chatLogprobContent(tokenChoices({ seed, tokens, offset: 0, candidates }), topLogprobs),
  };
}
