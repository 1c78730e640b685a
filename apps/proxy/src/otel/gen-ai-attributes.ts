import type { Attributes } from './span-data';

/**
 * OpenTelemetry GenAI semantic conventions (attribute names of the
 * conventions' registry): what a request asked for and what the answer was.
 */

/** `gen_ai.operation.name` of each traced route (`rerank` is not a well-known value; the conventions allow custom ones). */
export const OPERATION_OF_ROUTE: ReadonlyMap<string, string> = new Map([
  ['/v1/chat/completions', 'chat'],
  ['/v1/completions', 'text_completion'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/rerank', 'rerank'],
  ['/v1/messages', 'chat'],
  ['/v1/responses', 'chat'],
  ['/v1/audio/transcriptions', 'transcription'],
]);

/** Request fields mapped one-to-one onto `gen_ai.request.*`. */
const REQUEST_NUMBERS: ReadonlyArray<readonly [string, string]> = [
  ['temperature', 'gen_ai.request.temperature'],
  ['top_p', 'gen_ai.request.top_p'],
  ['top_k', 'gen_ai.request.top_k'],
  ['frequency_penalty', 'gen_ai.request.frequency_penalty'],
  ['presence_penalty', 'gen_ai.request.presence_penalty'],
  ['seed', 'gen_ai.request.seed'],
];

/**
 * The request's model and sampling parameters. Only what the client set is
 * recorded: a default the upstream applies is not known here, and an
 * attribute the client did not send would claim it did.
 */
export function requestAttributes(body: Record<string, unknown>, into: Attributes): void {
  if (typeof body.model === 'string') into['gen_ai.request.model'] = body.model;
  for (const [field, name] of REQUEST_NUMBERS) {
    const v = body[field];
    if (typeof v === 'number' && Number.isFinite(v)) into[name] = v;
  }
  const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  if (typeof maxTokens === 'number') into['gen_ai.request.max_tokens'] = maxTokens;
  const stop = body.stop ?? body.stop_sequences;
  if (typeof stop === 'string') into['gen_ai.request.stop_sequences'] = [stop];
  else if (Array.isArray(stop) && stop.every(s => typeof s === 'string'))
    into['gen_ai.request.stop_sequences'] = stop as string[];
  if (typeof body.n === 'number' && body.n !== 1) into['gen_ai.request.choice.count'] = body.n;
  const format = body.encoding_format;
  if (typeof format === 'string') into['gen_ai.request.encoding_formats'] = [format];
}

/** What an answer (or the first chunk of a stream) says about itself. */
export function responseIdentity(data: unknown, into: Attributes): void {
  const d = data as { id?: unknown; model?: unknown } | null;
  if (typeof d?.id === 'string') into['gen_ai.response.id'] = d.id;
  if (typeof d?.model === 'string') into['gen_ai.response.model'] = d.model;
}

/** Adds each choice's `finish_reason` (chat and text completions) to `reasons`, once per index. */
export function collectFinishReasons(data: unknown, reasons: string[]): void {
  const choices = (data as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return;
  for (const c of choices) {
    const reason = (c as { finish_reason?: unknown; index?: unknown } | null)?.finish_reason;
    if (typeof reason !== 'string') continue;
    const index = (c as { index?: unknown }).index;
    reasons[typeof index === 'number' && index >= 0 && index < 128 ? index : reasons.length] =
      reason;
  }
}

/**
 * Token counts as the upstream reported them: OpenAI's names and
 * Anthropic's. Nothing is estimated; a response without usage has none.
 */
export function usageAttributes(usage: unknown, into: Attributes): void {
  const u = usage as Record<string, unknown> | null | undefined;
  if (!u) return;
  const input = u.prompt_tokens ?? u.input_tokens;
  const output = u.completion_tokens ?? u.output_tokens;
  if (typeof input === 'number') into['gen_ai.usage.input_tokens'] = input;
  if (typeof output === 'number') into['gen_ai.usage.output_tokens'] = output;
}

/** The provider id of a deployment's `model` (`hosted_vllm/x` → `hosted_vllm`), LiteLLM's `custom_llm_provider`. */
export function providerOf(model: string, custom: unknown): string {
  if (typeof custom === 'string' && custom !== '') return custom;
  const slash = model.indexOf('/');
  return slash === -1 ? 'openai' : model.slice(0, slash);
}
