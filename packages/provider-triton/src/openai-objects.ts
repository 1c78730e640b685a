import { randomUUID } from 'node:crypto';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatDelta,
  EmbeddingResponse,
  TextCompletion,
  Usage,
} from '@switchyard/core';
import { type FinishDecision, finishFields } from './finish-reason';

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
  finish: FinishDecision;
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
        ...finishFields(init.finish),
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

/** A `chat.completion.chunk` with one choice; `finish` null until the last. */
export function chatChunkOf(
  identity: ChunkIdentity,
  delta: ChatDelta,
  finish: FinishDecision | null,
): ChatCompletionChunk {
  return {
    ...identity,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, ...finishOrNull(finish) }],
  };
}

function finishOrNull(finish: FinishDecision | null) {
  return finish === null ? { finish_reason: null } : finishFields(finish);
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
  /** Null on every streamed chunk but the last. */
  finish: FinishDecision | null;
  usage?: Usage;
}

/** A `text_completion` (also the shape of each streamed text chunk). */
export function textCompletionOf(init: TextCompletionInit): TextCompletion {
  return {
    id: init.id ?? completionId('cmpl'),
    object: 'text_completion',
    created: init.created ?? nowSeconds(),
    model: init.model,
    choices: [{ index: 0, text: init.text, ...finishOrNull(init.finish) }],
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
