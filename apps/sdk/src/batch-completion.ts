import type { ChatCompletion, ChatMessage } from '@switchyard/core';
import type { WithMeta } from './response-meta';
import type { CompletionParams, SwitchyardClient } from './switchyard-client';

/** A batch: one model and settings, many conversations. */
export type BatchCompletionParams = Omit<CompletionParams, 'messages' | 'stream'> & {
  /** One message list per completion wanted. */
  messages: ChatMessage[][];
  /** How many calls run at once. Default 8. */
  concurrency?: number;
};

/**
 * LiteLLM's `batch_completion`: one completion per message list, in input
 * order. A failed item holds its error in its slot; the batch itself never
 * rejects because one item failed.
 */
export async function batchCompletion(
  client: SwitchyardClient,
  params: BatchCompletionParams,
): Promise<Array<(ChatCompletion & WithMeta) | Error>> {
  const { messages: conversations, concurrency = 8, ...shared } = params;
  if (!Array.isArray(conversations)) {
    throw new TypeError('batchCompletion: messages must be an array of message lists');
  }
  const results: Array<(ChatCompletion & WithMeta) | Error> = new Array(conversations.length);
  let next = 0;
  const worker = async () => {
    while (next < conversations.length) {
      const index = next++;
      try {
        results[index] = await client.completion({
          ...(shared as CompletionParams),
          messages: conversations[index]!,
          stream: false,
        });
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, conversations.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
