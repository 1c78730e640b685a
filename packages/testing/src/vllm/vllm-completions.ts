/** `POST /v1/completions`: non-streaming and streaming responses. */
import { sleep } from '../shared/timing';
import type { FieldRule } from './field-checks';
import { valueErrorIssue } from './pydantic-message';
import { constrainedText, readOutputConstraint } from './structured-output';
import { admitGeneration } from './vllm-admission';
import { type CompletionChoice, streamCompletions } from './vllm-completions-stream';
import {
  type RouteCall,
  randomHex,
  reply,
  resolveModel,
  unixNow,
  type VllmContext,
} from './vllm-context';
import { checkEngineContext, checkServingContext } from './vllm-context-length';
import { generateChoice } from './vllm-generation';
import { completionLogprobs, requestedCandidates, tokenChoices } from './vllm-logprobs';
import { textPromptTokens } from './vllm-prompt';
import {
  checkSamplingRequest,
  checkSamplingValues,
  requireObjectBody,
  SAMPLING_RULES,
  stopList,
  streamUsageOptions,
} from './vllm-sampling';

const COMPLETION_RULES: Record<string, FieldRule> = {
  ...SAMPLING_RULES,
  echo: { kind: 'bool' },
  logprobs: { kind: 'int' },
  add_special_tokens: { kind: 'bool' },
  suffix: { kind: 'string' },
  response_format: { kind: 'dict' },
  structured_outputs: { kind: 'dict' },
  guided_choice: { kind: 'list' },
};

/** One prompt of a request: its text (or token ids rendered as text) and token count. */
interface PromptInput {
  text: string;
  tokens: number;
}

/** vLLM's completions default (spec §A.3). */
const DEFAULT_MAX_TOKENS = 16;

function prompts(body: Record<string, unknown>): PromptInput[] | undefined {
  const prompt = body.prompt;
  const special = body.add_special_tokens !== false;
  const isIds = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every(x => Number.isInteger(x));
  if (typeof prompt === 'string')
    return [{ text: prompt, tokens: textPromptTokens(prompt, special) }];
  if (isIds(prompt) && prompt.length > 0)
    return [{ text: prompt.join(' '), tokens: prompt.length }];
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every(p => typeof p === 'string')) {
      return (prompt as string[]).map(p => ({ text: p, tokens: textPromptTokens(p, special) }));
    }
    if (prompt.every(isIds))
      return (prompt as number[][]).map(ids => ({ text: ids.join(' '), tokens: ids.length }));
  }
  return undefined;
}

function completionIssues(body: Record<string, unknown>) {
  const issues = prompts(body)
    ? []
    : [valueErrorIssue('Either prompt or prompt_embeds must be provided and non-empty.', body)];
  const logprobs = body.logprobs;
  if (typeof logprobs === 'number' && logprobs < 0 && logprobs !== -1) {
    issues.push(valueErrorIssue('`logprobs` must be a positive value or -1.', body));
  }
  return issues;
}

/** Handles a text completion request. */
export async function handleCompletions(ctx: VllmContext, call: RouteCall): Promise<void> {
  const body = requireObjectBody(call.body);
  checkSamplingRequest(body, COMPLETION_RULES, completionIssues);
  const inputs = prompts(body)!;
  const model = resolveModel(ctx, body.model);
  const requested = (body.max_tokens as number | null | undefined) ?? DEFAULT_MAX_TOKENS;
  checkSamplingValues(body, requested);
  for (const input of inputs) {
    checkServingContext(ctx, { promptTokens: input.tokens, maxTokens: requested });
    checkEngineContext(ctx, { engineTokens: input.tokens, multimodal: false });
  }
  const logprobs = requestedCandidates(body.logprobs as number | null | undefined);
  const choices = planChoices(ctx, { body, inputs, maxTokens: requested });
  const promptTokens = inputs.reduce((sum, p) => sum + p.tokens, 0);
  const completionTokens = choices.reduce((sum, c) => sum + c.choice.completionTokens, 0);
  const admitted = await admitGeneration(ctx, call, {
    prompts: inputs.map(input => input.text),
    promptTokens,
    contextTokens: promptTokens + requested * choices.length,
    lora: ctx.lora.get(model),
  });
  if (admitted === undefined) return;
  const { pacer, done, cacheSequence } = admitted;
  try {
    const head = {
      id: `cmpl-${randomHex()}`,
      object: 'text_completion',
      created: unixNow(),
      model,
    };
    if (body.stream === true) {
      await streamCompletions(ctx, call, {
        head,
        choices,
        promptTokens,
        usage: streamUsageOptions(body),
        logprobs,
        pacer,
      });
    } else {
      await sleep(pacer.totalMs(Math.max(0, ...choices.map(c => c.choice.completionTokens))));
      reply(call, {
        ...head,
        choices: choices.map((planned, index) => {
          const echoed = body.echo === true ? planned.promptText : '';
          return {
            index,
            text: echoed + planned.choice.contentPieces.join(''),
            logprobs:
              logprobs === undefined ? null : textLogprobs(planned, logprobs, echoed.length),
            finish_reason: planned.choice.finishReason,
            stop_reason: planned.choice.stopReason,
            prompt_logprobs: null,
          };
        }),
        service_tier: null,
        system_fingerprint: null,
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens + completionTokens,
          completion_tokens: completionTokens,
          prompt_tokens_details: ctx.promptTokensDetails
            ? { cached_tokens: admitted.cachedTokens }
            : null,
        },
        kv_transfer_params: null,
      });
    }
    ctx.metrics.record({
      promptTokens,
      generationTokens: completionTokens,
      finishReasons: choices.map(c => c.choice.finishReason),
    });
    const first = choices[0];
    if (first) cacheSequence(first.promptText, first.choice.contentPieces.join(''));
  } finally {
    done();
  }
}

function textLogprobs(planned: CompletionChoice, candidates: number, textOffset: number) {
  const tokens = planned.choice.contentPieces;
  const choices = tokenChoices({
    seed: planned.seed,
    tokens,
    offset: 0,
    candidates: Math.max(1, candidates),
  });
  return completionLogprobs(choices, textOffset);
}

interface PlanInput {
  body: Record<string, unknown>;
  inputs: PromptInput[];
  maxTokens: number;
}

/** `n` choices per prompt, in vLLM's order (prompt-major). */
function planChoices(ctx: VllmContext, input: PlanInput): CompletionChoice[] {
  const { body } = input;
  const constraint = readOutputConstraint(body);
  const n = (body.n as number | undefined) ?? 1;
  const out: CompletionChoice[] = [];
  for (const prompt of input.inputs) {
    const seedBase =
      body.seed != null ? `${prompt.text}\u0000seed:${String(body.seed)}` : prompt.text;
    for (let i = 0; i < n; i++) {
      const seed = i === 0 ? seedBase : `${seedBase}\u0000choice:${i}`;
      const choice = generateChoice({
        seedText: seed,
        maxTokens: input.maxTokens,
        stop: stopList(body.stop),
        includeStopStrInOutput: body.include_stop_str_in_output === true,
        scriptedText: ctx.scriptedText,
        reasoning: false,
        ...(constraint ? { constrainedText: constrainedText(constraint, seed) } : {}),
      });
      // Completions continue the prompt, so the first generated word needs its space.
      const free = ctx.scriptedText === undefined && constraint === undefined;
      if (free && choice.contentPieces[0] !== undefined) {
        choice.contentPieces[0] = ` ${choice.contentPieces[0]}`;
      }
      out.push({ choice, promptText: prompt.text, seed });
    }
  }
  return out;
}
