import { randomUUID } from 'node:crypto';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatDelta,
  EmbeddingResponse,
  TextCompletion,
  Usage,
} from '@switchyard/core';

/** An id in OpenAI's style for a new completion. */
export function completionId(prefix: 'chatcmpl' | 'cmpl'): string {
  return `${prefix}-${randomUUID().replace(/-/g, '')}`;
}

/** Seconds since the epoch, as OpenAI's `created`. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Input to {@link chatCompletionOf}. */
export interface ChatCompletionInit {
  model: string;
  text: string;
  finishReason: string | null;
  usage: Usage;
}

/** A `chat.completion` with one assistant choice. */
export function chatCompletionOf(init: ChatCompletionInit): ChatCompletion {
  return {
    id: completionId('chatcmpl'),
    object: 'chat.completion',
    created: nowSeconds(),
    model: init.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: init.text },
        finish_reason: init.finishReason,
      },
    ],
    usage: init.usage,
  };
}

/** What every chunk of one stream shares. */
export interface ChunkIdentity {
  id: string;
  created: number;
  model: string;
}

/** A `chat.completion.chunk` with one choice. */
export function chatChunkOf(
  identity: ChunkIdentity,
  delta: ChatDelta,
  finishReason: string | null,
): ChatCompletionChunk {
  return {
    ...identity,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** The `stream_options.include_usage` chunk: no choices, only usage. */
export function usageChunkOf(identity: ChunkIdentity, usage: Usage): ChatCompletionChunk {
  return { ...identity, object: 'chat.completion.chunk', choices: [], usage };
}

/** Input to {@link textCompletionOf}. */
export interface TextCompletionInit {
  id?: string;
  created?: number;
  model: string;
  text: string;
  finishReason: string | null;
  usage?: Usage;
}

/** A `text_completion` (also the shape of each streamed text chunk). */
export function textCompletionOf(init: TextCompletionInit): TextCompletion {
  return {
    id: init.id ?? completionId('cmpl'),
    object: 'text_completion',
    created: init.created ?? nowSeconds(),
    model: init.model,
    choices: [{ index: 0, text: init.text, finish_reason: init.finishReason }],
    ...(init.usage ? { usage: init.usage } : {}),
  };
}

/** An embeddings `list`. */
export function embeddingListOf(
  model: string,
  vectors: readonly number[][],
  usage: Usage,
): EmbeddingResponse {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage,
  };
}
