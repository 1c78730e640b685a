/** The streamed form of a text completion: one chunk per token, logprobs when asked. */
import { sseJson } from '@switchyard/core';
import type { TokenPacer } from '../shared/timing';
import type { RouteCall, VllmContext } from './vllm-context';
import type { GeneratedChoice } from './vllm-generation';
import { completionLogprobs, tokenChoices } from './vllm-logprobs';
import { openVllmStream, usageChunk } from './vllm-sse';

/** One planned choice: what was generated, for which prompt, from which seed. */
export interface CompletionChoice {
  choice: GeneratedChoice;
  promptText: string;
  seed: string;
}

/** What a completions stream sends. */
export interface CompletionStreamPlan {
  head: { id: string; object: string; created: number; model: string };
  choices: CompletionChoice[];
  promptTokens: number;
  usage: { include: boolean; continuous: boolean };
  /** `logprobs` as asked (candidates per token), else undefined. */
  logprobs: number | undefined;
  pacer: TokenPacer;
}

/** Streams a completions answer; returns early when the client went away. */
export async function streamCompletions(
  ctx: VllmContext,
  call: RouteCall,
  plan: CompletionStreamPlan,
): Promise<void> {
  const { head, promptTokens } = plan;
  const choices = plan.choices.map(c => c.choice);
  const stream = openVllmStream(ctx, call);
  let generated = 0;
  const textLength = choices.map(() => 0);
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
      const text = pieces[t] ?? '';
      const event = {
        ...head,
        choices: [
          {
            index,
            text,
            logprobs: chunkLogprobs(plan, { index, text, step: t, textOffset: textLength[index]! }),
            finish_reason: t === last ? choice.finishReason : null,
            stop_reason: t === last ? choice.stopReason : null,
            prompt_token_ids: null,
            token_ids: null,
          },
        ],
        usage,
      };
      textLength[index]! += text.length;
      if (!(await stream.send(sseJson(event)))) return;
    }
  }
  if (plan.usage.include) {
    const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
    if (!(await stream.send(usageChunk(head, { promptTokens, completionTokens })))) return;
  }
  stream.end();
}

function chunkLogprobs(
  plan: CompletionStreamPlan,
  at: { index: number; text: string; step: number; textOffset: number },
) {
  if (plan.logprobs === undefined || at.text.length === 0) return null;
  const choices = tokenChoices({
    seed: plan.choices[at.index]!.seed,
    tokens: [at.text],
    offset: at.step,
    candidates: Math.max(1, plan.logprobs),
  });
  return completionLogprobs(choices, at.textOffset);
}
