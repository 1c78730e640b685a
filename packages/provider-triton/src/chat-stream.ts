import type { ChatCompletionChunk } from '@switchyard/core';
import type { TritonGeneration } from './generate-response';
import { GenerationTally } from './generation-tally';
import {
  type ChunkIdentity,
  chatChunkOf,
  completionId,
  nowSeconds,
  usageChunkOf,
} from './openai-objects';
import type { TokenCounter } from './token-counter';

/** Input to {@link chatChunks}. */
export interface ChatChunksOptions {
  events: AsyncIterable<TritonGeneration> | Iterable<TritonGeneration>;
  model: string;
  /** The `text_input` sent, for token counting. */
  prompt: string;
  counter: TokenCounter;
  /** `stream_options.include_usage`: end with a usage chunk. */
  includeUsage: boolean;
  /** The `max_tokens` sent, to tell `length` from `stop` by the reported token count. */
  maxTokens: number;
}

/**
 * Triton generate events as OpenAI chat chunks: one chunk per event that
 * carries text (`text_output` delta) or a finish reason (`finish_reason` /
 * `stop_reason`), the first with `role: "assistant"`. When the stream ends
 * and no event gave a finish reason, a closing chunk with an empty delta
 * carries one decided by `decideFinishReason` (told by the reported token
 * count, or an assumed `stop` marked as such). A usage chunk follows when
 * asked for.
 */
export async function* chatChunks(options: ChatChunksOptions): AsyncGenerator<ChatCompletionChunk> {
  const identity: ChunkIdentity = {
    id: completionId('chatcmpl'),
    created: nowSeconds(),
    model: options.model,
  };
  const tally = new GenerationTally();
  let first = true;
  for await (const event of options.events) {
    const step = tally.add(event);
    if (!step.emit) continue;
    const delta = {
      ...(first ? { role: 'assistant' as const } : {}),
      ...(step.text.length > 0 ? { content: step.text } : {}),
    };
    first = false;
    yield chatChunkOf(identity, delta, step.finish);
  }
  const closing = tally.closingFinish(options.maxTokens);
  if (closing) yield chatChunkOf(identity, first ? { role: 'assistant' } : {}, closing);
  if (options.includeUsage)
    yield usageChunkOf(identity, tally.usage(options.prompt, options.counter));
}
