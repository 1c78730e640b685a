/** The streamed form of a chat completion: vLLM's chunk sequence, with logprobs when asked. */
import { sseJson } from '@switchyard/core';
import type { TokenPacer } from '../shared/timing';
import { chatSteps } from './vllm-chat-steps';
import type { RouteCall, VllmContext } from './vllm-context';
import type { GeneratedChoice } from './vllm-generation';
import { chatLogprobContent, tokenChoices } from './vllm-logprobs';
import { openVllmStream, usageChunk } from './vllm-sse';

/** What a chat stream sends. */
export interface ChatStreamPlan {
  head: { id: string; created: number; model: string };
  choices: GeneratedChoice[];
  /** Seed text of each choice, for its logprobs. */
  seeds: string[];
  promptTokens: number;
  usage: { include: boolean; continuous: boolean };
  /** `top_logprobs` when `logprobs` was asked for, else undefined. */
  topLogprobs: number | undefined;
  pacer: TokenPacer;
}

/**
 * Streams a chat answer; returns early when the client went away. Resolves
 * true when the stream was sent to its end, false when it was cut short
 * (the engine counts that request as aborted).
 */
export async function streamChat(
  ctx: VllmContext,
  call: RouteCall,
  plan: ChatStreamPlan,
): Promise<boolean> {
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
    if (!(await stream.send(chunk([first])))) return false;
  }
  const perChoice = choices.map(choice => chatSteps(ctx, choice));
  const emitted = choices.map(() => 0);
  const longest = Math.max(0, ...perChoice.map(s => s.length));
  for (let t = 0; t < longest; t++) {
    await plan.pacer.beforeToken(t, stream.signal);
    for (let index = 0; index < perChoice.length; index++) {
      const steps = perChoice[index]!;
      if (t >= steps.length) continue;
      const step = steps.at(t);
      generated += step.tokens.length;
      const logprobs =
        plan.topLogprobs === undefined
          ? null
          : {
              content: chatLogprobContent(
                tokenChoices({
                  seed: plan.seeds[index]!,
                  tokens: step.tokens,
                  offset: emitted[index]!,
                  candidates: Math.max(1, plan.topLogprobs),
                }),
                plan.topLogprobs,
              ),
            };
      emitted[index]! += step.tokens.length;
      const body = { index, delta: step.delta, logprobs, finish_reason: null };
      if (!(await stream.send(chunk([body])))) return false;
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
    if (!(await stream.send(chunk([last])))) return false;
  }
  if (plan.usage.include) {
    const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
    if (!(await stream.send(usageChunk(chunkHead(head), { promptTokens, completionTokens }))))
      return false;
  }
  stream.end();
  return !stream.signal.aborted;
}

function chunkHead(head: ChatStreamPlan['head']): Record<string, unknown> {
  return { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model };
}
