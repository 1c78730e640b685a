/** Pooling routes: `/v1/embeddings`, `/classify`, `/score` and `/rerank` (spec §A.3–A.4). */
import { countTokens, hashText, prng } from '../shared/text-generator';
import { checkFields, type FieldRule, isRecord } from './field-checks';
import { validationError } from './pydantic-message';
import {
  type RouteCall,
  randomHex,
  reply,
  resolveModel,
  unixNow,
  type VllmContext,
} from './vllm-context';
import { badRequest } from './vllm-errors';
import { textPromptTokens } from './vllm-prompt';
import { requireObjectBody } from './vllm-sampling';

/** A pooling input: text, or token ids. */
type PoolInput = string | number[];

function poolInputs(input: unknown, field: string): PoolInput[] {
  const isIds = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every(x => Number.isInteger(x));
  if (typeof input === 'string') return [input];
  if (isIds(input) && input.length > 0) return [input];
  if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every(v => typeof v === 'string' || isIds(v))
  ) {
    return input as PoolInput[];
  }
  throw validationError([
    {
      type: 'string_type',
      loc: [field],
      msg: 'Input should be a valid string',
      input: input ?? null,
    },
  ]);
}

function inputTokens(input: PoolInput): number {
  return typeof input === 'string' ? textPromptTokens(input, true) : input.length;
}

function checkPoolLength(ctx: VllmContext, tokens: number): void {
  if (tokens > ctx.maxModelLen) {
    throw badRequest(
      `This model's maximum context length is ${ctx.maxModelLen} tokens. However, you requested ${tokens} tokens in the input for embedding generation. Please reduce the length of the input.`,
    );
  }
}

/** A deterministic unit vector for `text`. */
export function embedText(text: string, dimensions: number): number[] {
  const next = prng(hashText(`embed:${text}`));
  const raw = Array.from({ length: dimensions }, () => next() / 0xffffffff - 0.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map(v => v / norm);
}

function base64Float32(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) buffer.writeFloatLE(v, i * 4);
  return buffer.toString('base64');
}

const EMBED_RULES: Record<string, FieldRule> = {
  model: { kind: 'string' },
  encoding_format: { kind: 'string' },
  dimensions: { kind: 'int' },
  user: { kind: 'string' },
  add_special_tokens: { kind: 'bool' },
};

/** `POST /v1/embeddings`. */
export function handleEmbeddings(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  const issues = checkFields(body, EMBED_RULES);
  if (issues.length > 0) throw validationError(issues);
  const format = (body.encoding_format as string | undefined) ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw validationError([
      {
        type: 'literal_error',
        loc: ['encoding_format'],
        msg: "Input should be 'float' or 'base64'",
        input: format,
      },
    ]);
  }
  const inputs = poolInputs(body.input, 'input');
  const model = resolveModel(ctx, body.model);
  const dimensions = (body.dimensions as number | undefined) ?? ctx.embeddingDimensions;
  if (dimensions < 1) throw badRequest(`dimensions must be a positive integer, got ${dimensions}.`);
  let tokens = 0;
  const data = inputs.map((input, index) => {
    const count = inputTokens(input);
    checkPoolLength(ctx, count);
    tokens += count;
    const vector = embedText(typeof input === 'string' ? input : input.join(' '), dimensions);
    return {
      index,
      object: 'embedding',
      embedding: format === 'base64' ? base64Float32(vector) : vector,
    };
  });
  ctx.metrics.record({ promptTokens: tokens, generationTokens: 0, finishReasons: [] });
  reply(call, {
    id: `embd-${randomHex()}`,
    object: 'list',
    created: unixNow(),
    model,
    data,
    usage: {
      prompt_tokens: tokens,
      total_tokens: tokens,
      completion_tokens: 0,
      prompt_tokens_details: null,
    },
  });
}

/** `POST /classify`: probabilities over the configured labels. */
export function handleClassify(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  const inputs = poolInputs(body.input, 'input');
  const model = resolveModel(ctx, body.model);
  const labels = ctx.classifyLabels;
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += inputTokens(input);
    const next = prng(hashText(`classify:${String(input)}`));
    const logits = labels.map(() => (next() / 0xffffffff) * 4 - 2);
    const max = Math.max(...logits);
    const exp = logits.map(l => Math.exp(l - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const probs = exp.map(e => e / sum);
    const best = probs.indexOf(Math.max(...probs));
    return { index, label: labels[best]!, probs, num_classes: labels.length };
  });
  reply(call, {
    id: `classify-${randomHex()}`,
    object: 'list',
    created: unixNow(),
    model,
    data,
    usage: {
      prompt_tokens: tokens,
      total_tokens: tokens,
      completion_tokens: 0,
      prompt_tokens_details: null,
    },
  });
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * Relevance of a document to a query: word overlap pushed through a
 * sigmoid, so documents that share the query's words rank first, like a
 * real cross-encoder would on simple cases.
 */
export function relevance(query: string, document: string): number {
  const q = words(query);
  const d = words(document);
  let shared = 0;
  for (const word of q) if (d.has(word)) shared++;
  const overlap = q.size === 0 ? 0 : shared / q.size;
  return 1 / (1 + Math.exp(-(overlap * 14 - 9)));
}

/** Tokens of a (query, document) pair as a cross-encoder sees it: `<s>` query `</s>` document. */
function pairTokens(a: string, b: string): number {
  return countTokens(a) + countTokens(b) + 2;
}

function documentText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  if (isRecord(doc) && typeof doc.text === 'string') return doc.text;
  throw validationError([
    { type: 'string_type', loc: ['documents'], msg: 'Input should be a valid string', input: doc },
  ]);
}

/** `POST /rerank`, `/v1/rerank`, `/v2/rerank`. */
export function handleRerank(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  const issues = checkFields(body, {
    model: { kind: 'string' },
    query: { kind: 'string', required: true },
    documents: { kind: 'list', required: true },
    top_n: { kind: 'int' },
  });
  if (issues.length > 0) throw validationError(issues);
  const model = resolveModel(ctx, body.model);
  const query = body.query as string;
  const docs = (body.documents as unknown[]).map(documentText);
  let tokens = 0;
  const results = docs.map((text, index) => {
    tokens += pairTokens(query, text);
    return { index, document: { text }, relevance_score: relevance(query, text) };
  });
  results.sort((a, b) => b.relevance_score - a.relevance_score);
  const topN = (body.top_n as number | undefined) ?? 0;
  reply(call, {
    id: `rerank-${randomHex()}`,
    model,
    usage: { total_tokens: tokens },
    results: topN > 0 ? results.slice(0, topN) : results,
  });
}

/** `POST /score`, `/v1/score`: 1:1, 1:N and N:N pairs. */
export function handleScore(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  const issues = checkFields(body, {
    model: { kind: 'string' },
    text_1: { kind: 'stringOrList', required: true },
    text_2: { kind: 'stringOrList', required: true },
  });
  if (issues.length > 0) throw validationError(issues);
  const model = resolveModel(ctx, body.model);
  const left = ([] as string[]).concat(body.text_1 as string | string[]);
  const right = ([] as string[]).concat(body.text_2 as string | string[]);
  if (left.length !== 1 && left.length !== right.length) {
    throw badRequest('Input lengths must be either 1:1, 1:N or N:N');
  }
  let tokens = 0;
  const data = right.map((text, index) => {
    const query = left.length === 1 ? left[0]! : left[index]!;
    tokens += pairTokens(query, text);
    return { index, object: 'score', score: relevance(query, text) };
  });
  reply(call, {
    id: `score-${randomHex()}`,
    object: 'list',
    created: unixNow(),
    model,
    data,
    usage: {
      prompt_tokens: tokens,
      total_tokens: tokens,
      completion_tokens: 0,
      prompt_tokens_details: null,
    },
  });
}
