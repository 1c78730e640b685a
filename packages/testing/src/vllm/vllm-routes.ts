/** The route table: which handler serves which method and path, and how its body is read. */

import { handleChat } from './vllm-chat';
import { handleCompletions } from './vllm-completions';
import type { RouteCall, RouteHandler, VllmContext } from './vllm-context';
import { handleLoadLora, handleUnloadLora } from './vllm-lora';
import { handleHealth, handleMetrics, handleModels, handleVersion } from './vllm-models';
import { handleClassify, handleEmbeddings, handleRerank, handleScore } from './vllm-pooling';
import { handleMessages, handleResponses } from './vllm-shapes';
import { handleDetokenize, handleTokenize } from './vllm-tokenize';
import { handleTranscription } from './vllm-transcription';

/** How a route's request body is read. */
export type BodyKind = 'none' | 'json' | 'multipart';

/** One method of one path. */
export interface Route {
  handler: RouteHandler;
  body: BodyKind;
}

const json = (handler: RouteHandler): Route => ({ handler, body: 'json' });
const get = (handler: RouteHandler): Route => ({ handler, body: 'none' });

/** Every path the emulator serves, by method. */
export const ROUTES: Record<string, Record<string, Route>> = {
  '/v1/models': { GET: get(handleModels) },
  '/v1/chat/completions': { POST: json(handleChat) },
  '/v1/completions': { POST: json(handleCompletions) },
  '/v1/messages': { POST: json(handleMessages) },
  '/v1/responses': { POST: json(handleResponses) },
  '/v1/embeddings': { POST: json(handleEmbeddings) },
  '/classify': { POST: json(handleClassify) },
  '/rerank': { POST: json(handleRerank) },
  '/v1/rerank': { POST: json(handleRerank) },
  '/v2/rerank': { POST: json(handleRerank) },
  '/score': { POST: json(handleScore) },
  '/v1/score': { POST: json(handleScore) },
  '/tokenize': { POST: json(handleTokenize) },
  '/detokenize': { POST: json(handleDetokenize) },
  '/v1/audio/transcriptions': { POST: { handler: handleTranscription, body: 'multipart' } },
  '/health': { GET: get(handleHealth) },
  '/ping': { GET: get(handleHealth), POST: get(handleHealth) },
  '/version': { GET: get(handleVersion) },
  '/metrics': { GET: get(handleMetrics) },
  '/reset_prefix_cache': { POST: get(resetPrefixCache) },
  // Answer FastAPI's 404 unless runtime LoRA updating is allowed (vllm-lora).
  '/v1/load_lora_adapter': { POST: json(handleLoadLora) },
  '/v1/unload_lora_adapter': { POST: json(handleUnloadLora) },
};

/** `POST /reset_prefix_cache`: empties the prefix cache; 200 with no body, as vLLM. */
function resetPrefixCache(ctx: VllmContext, call: RouteCall): void {
  ctx.prefixCache?.clear();
  call.res.writeHead(200, { 'content-length': '0' });
  call.res.end();
}

/**
 * Paths the `--api-key` middleware guards: in the 0.10–0.12 releases the
 * emulator follows, every path under `/v1` (spec §A.2).
 */
export function isGuardedPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/');
}
