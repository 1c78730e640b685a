/**
 * The engine side of a generation request: wait for a sequence slot
 * (`maxNumSeqs`), look the prompt up in the prefix cache, count the request
 * as running, and pace its tokens with a time to first token cut by the
 * cached share of the prompt — prefill of cached blocks is skipped, as in
 * vLLM, so only the uncached tokens cost time.
 */
import { closeSignal } from '../shared/fault-responder';
import { createTokenPacer, type TokenPacer } from '../shared/timing';
import type { CacheAdapter } from './prefix-cache';
import type { RouteCall, VllmContext } from './vllm-context';

/** A request that got a slot. */
export interface Admission {
  /** Paces this request's tokens (first-token delay scaled by the uncached share). */
  pacer: TokenPacer;
  /** Leading prompt tokens served from the prefix cache. */
  cachedTokens: number;
  /** Frees the slot and the running count; call once when the response is over. */
  done(): void;
  /** Caches the finished sequence (prompt + generated text) when the prefix cache is on. */
  cacheSequence(prompt: string, generated: string): void;
}

/** What the request asks of the engine. */
export interface AdmissionRequest {
  /** The rendered prompt(s), for the prefix cache. */
  prompts: readonly string[];
  /** Prompt tokens in total. */
  promptTokens: number;
  /** Prompt plus token budget, for the KV-cache gauge. */
  contextTokens: number;
  /** The LoRA adapter the request names, if any (its cache blocks are its own). */
  lora?: CacheAdapter | undefined;
}

/** Admits a request; undefined when the client left while it waited (nothing to answer). */
export async function admitGeneration(
  ctx: VllmContext,
  call: RouteCall,
  request: AdmissionRequest,
): Promise<Admission | undefined> {
  const signal =
    ctx.scheduler.waiting > 0 || ctx.scheduler.full ? closeSignal(call.res) : undefined;
  const release = await ctx.scheduler.acquire(signal);
  if (release === undefined) return undefined;
  let cachedTokens = 0;
  if (ctx.prefixCache !== undefined) {
    let queried = 0;
    for (const prompt of request.prompts) {
      const found = ctx.prefixCache.lookupAndInsert(prompt, request.lora);
      queried += found.queried;
      cachedTokens += found.hit;
    }
    ctx.metrics.prefixQueries += queried;
    ctx.metrics.prefixHits += cachedTokens;
  }
  const finished = ctx.metrics.start(request.contextTokens);
  const done = () => {
    finished();
    release();
  };
  const cacheSequence = (prompt: string, generated: string): void =>
    ctx.prefixCache?.insert(`${prompt} ${generated}`, request.lora);
  if (cachedTokens === 0 || !(ctx.timing.ttftMs! > 0))
    return { pacer: ctx.pacer, cachedTokens, done, cacheSequence };
  // The engine always recomputes at least the last prompt token.
  const uncached = Math.max(1, request.promptTokens - cachedTokens);
  const share = request.promptTokens > 0 ? Math.min(1, uncached / request.promptTokens) : 1;
  const pacer = createTokenPacer({
    ttftMs: ctx.timing.ttftMs! * share,
    tokensPerSecond: ctx.timing.tokensPerSecond,
  });
  return { pacer, cachedTokens, done, cacheSequence };
}
