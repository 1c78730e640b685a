import {
  BadRequestError,
  type CallContext,
  type ProviderResponse,
  type ProviderStream,
  parseOrThrow,
  type TextCompletion,
  type TextCompletionRequest,
  textCompletionRequestSchema,
} from '@switchyard/core';
import type { BackendDetector } from './backend-detection';
import { generationFinish } from './finish-reason';
import { GenerationTally } from './generation-tally';
import { completionId, nowSeconds, textCompletionOf } from './openai-objects';
import { type PreparedGeneration, prepareGeneration } from './prepare-generation';
import { generateOnce, openGenerationEvents } from './triton-transport';
import { generationUsage } from './usage';

/** The raw prompt is `text_input` as it is: no template on `/completions`. */
function promptText(prompt: TextCompletionRequest['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  if (prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  throw new BadRequestError({
    message:
      'Invalid prompt: triton takes one text prompt per call (a string, or an array of one string); ' +
      'token-id prompts and batches of prompts are not supported',
    param: 'prompt',
    provider: 'triton',
  });
}

function prepareText(
  request: TextCompletionRequest,
  ctx: CallContext,
  stream: boolean,
  detector: BackendDetector | undefined,
): Promise<PreparedGeneration> {
  const checked = parseOrThrow(textCompletionRequestSchema, request);
  const text = promptText(checked.prompt);
  return prepareGeneration({
    request: checked,
    ctx,
    stream,
    inputFields: ['prompt'],
    ...(detector ? { detector } : {}),
    renderPrompt: () => text,
  });
}

/** `triton/` text completion: the prompt sent as `text_input`, one answer. */
export async function tritonTextCompletion(
  request: TextCompletionRequest,
  ctx: CallContext,
  detector?: BackendDetector,
): Promise<ProviderResponse<TextCompletion>> {
  const prepared = await prepareText(request, ctx, false, detector);
  const { generation, headers } = await generateOnce(prepared, ctx);
  return {
    data: textCompletionOf({
      model: ctx.model,
      text: generation.text,
      finish: generationFinish(prepared, generation),
      usage: generationUsage(prepared, generation),
    }),
    headers,
  };
}

/** `triton/` streamed text completion; the same end-of-stream rule as chat. */
export async function tritonTextCompletionStream(
  request: TextCompletionRequest,
  ctx: CallContext,
  detector?: BackendDetector,
): Promise<ProviderStream<TextCompletion>> {
  const prepared = await prepareText(request, ctx, true, detector);
  const { events, headers } = await openGenerationEvents(prepared, ctx);
  const includeUsage = request.stream_options?.include_usage === true;
  async function* chunks(): AsyncGenerator<TextCompletion> {
    const identity = { id: completionId('cmpl'), created: nowSeconds(), model: ctx.model };
    const tally = new GenerationTally();
    for await (const event of events) {
      const step = tally.add(event);
      if (!step.emit) continue;
      yield textCompletionOf({ ...identity, text: step.text, finish: step.finish });
    }
    const closing = tally.closingFinish(prepared.maxTokens);
    if (closing) yield textCompletionOf({ ...identity, text: '', finish: closing });
    if (includeUsage) {
      yield {
        ...textCompletionOf({ ...identity, text: '', finish: null }),
        choices: [],
        usage: tally.usage(prepared.prompt, prepared.counter),
      };
    }
  }
  return { stream: chunks(), headers };
}
