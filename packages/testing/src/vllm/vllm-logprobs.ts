/**
 * Log probabilities in vLLM's shapes, with plausible invented values: each
 * generated token is the most likely one at its step (probability between
 * 0.35 and 0.95), and the alternatives share what is left in decreasing
 * order, so every step's probabilities sum to less than one. Values depend
 * only on the seed, the step and the token, so answers repeat exactly.
 *
 * Like vLLM's engine, the sampled token comes first in a step's candidates:
 * chat's `top_logprobs: k` lists it plus k − 1 others (none for k = 0);
 * completions' `logprobs: k` maps it plus k − 1 others (just it for k = 0).
 */
import { generateTokens, hashText, prng } from '../shared/text-generator';
import { badRequest } from './vllm-errors';

/** vLLM's default `--max-logprobs`. */
export const MAX_LOGPROBS = 20;

/** One generated token and its candidates. */
export interface TokenChoice {
  token: string;
  logprob: number;
  /** The sampled token first, then alternatives by decreasing probability. */
  candidates: { token: string; logprob: number }[];
}

/** Options for {@link tokenChoices}. */
export interface TokenChoicesOptions {
  /** What the values depend on (the choice's seed text). */
  seed: string;
  /** The generated tokens, in order. */
  tokens: readonly string[];
  /** Index of the first token within the whole answer (streams pass their running count). */
  offset: number;
  /** Candidates per step, the sampled token included (at least 1). */
  candidates: number;
}

/** Invented log probabilities for `tokens`. */
export function tokenChoices(options: TokenChoicesOptions): TokenChoice[] {
  return options.tokens.map((token, i) => {
    const step = options.offset + i;
    const next = prng(hashText(`logprob:${options.seed}:${step}:${token}`));
    const unit = () => next() / 0x1_0000_0000;
    const chosen = 0.35 + 0.6 * unit();
    const candidates = [{ token, logprob: round(Math.log(chosen)) }];
    const space = token.startsWith(' ') ? ' ' : '';
    const words = generateTokens({ seedText: `alt:${options.seed}:${step}`, count: 40 });
    const seen = new Set([token]);
    let share = (1 - chosen) * 0.5;
    for (const word of words) {
      if (candidates.length >= options.candidates) break;
      const alternative = space + word.trim().replace(/\.$/, '');
      if (seen.has(alternative)) continue;
      seen.add(alternative);
      candidates.push({
        token: alternative,
        logprob: round(Math.log(share * (0.5 + 0.5 * unit()))),
      });
      share /= 2;
    }
    return { token, logprob: candidates[0]!.logprob, candidates };
  });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function bytes(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

/** Chat's `choices[].logprobs.content` entries (`ChatCompletionLogProbsContent`). */
export function chatLogprobContent(choices: readonly TokenChoice[], topLogprobs: number) {
  return choices.map(choice => ({
    token: choice.token,
    logprob: choice.logprob,
    bytes: bytes(choice.token),
    top_logprobs: choice.candidates.slice(0, topLogprobs).map(c => ({
      token: c.token,
      logprob: c.logprob,
      bytes: bytes(c.token),
    })),
  }));
}

/** Completions' `choices[].logprobs` object (`CompletionLogProbs`), offsets from `textOffset`. */
export function completionLogprobs(choices: readonly TokenChoice[], textOffset: number) {
  const offsets: number[] = [];
  let at = textOffset;
  for (const choice of choices) {
    offsets.push(at);
    at += choice.token.length;
  }
  return {
    text_offset: offsets,
    token_logprobs: choices.map(c => c.logprob),
    tokens: choices.map(c => c.token),
    top_logprobs: choices.map(c =>
      Object.fromEntries(c.candidates.map(candidate => [candidate.token, candidate.logprob])),
    ),
  };
}

/**
 * The candidates per step a request asks for, or undefined without
 * logprobs. `-1` (all of the vocabulary in vLLM) is served as the maximum.
 * Over `--max-logprobs` is the engine's 400.
 */
export function requestedCandidates(requested: number | null | undefined): number | undefined {
  if (requested === undefined || requested === null) return undefined;
  const wanted = requested === -1 ? MAX_LOGPROBS : requested;
  if (wanted > MAX_LOGPROBS) {
    throw badRequest(
      `Requested sample logprobs of ${wanted}, which is greater than max allowed: ${MAX_LOGPROBS}`,
    );
  }
  return Math.max(0, wanted);
}
