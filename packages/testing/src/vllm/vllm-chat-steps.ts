/**
 * A generated chat choice as the deltas a stream sends — reasoning, tool
 * calls, content — and as the final message of a non-streaming answer.
 */
import { splitTokens } from '../shared/text-generator';
import type { VllmContext } from './vllm-context';
import type { GeneratedChoice } from './vllm-generation';
import { toolCallsText } from './vllm-generation';

/** One step of a choice's stream: a delta and the generated tokens it carries. */
export interface ChatStep {
  delta: Record<string, unknown>;
  /** Token texts of the step (none for the delta that opens a tool call). */
  tokens: string[];
}

/** The reasoning field(s) the emulator is configured to write. */
export function reasoningFields(
  ctx: VllmContext,
  value: string | null,
): Record<string, string | null> {
  if (ctx.reasoningField === 'both') return { reasoning: value, reasoning_content: value };
  return { [ctx.reasoningField]: value };
}

/** The steps of one choice's stream, made one at a time as they are sent. */
export interface ChatSteps {
  readonly length: number;
  /** Step `index` (0-based, below `length`), made on each call. */
  at(index: number): ChatStep;
}

/**
 * The deltas of one choice, in the order vLLM streams them: reasoning, tool
 * calls, content. Reasoning and content steps are made when asked for, not
 * up front: a paced stream held open for its whole `max_tokens` would
 * otherwise keep one step object per token alive from its first token, and
 * thousands of held streams cost the emulator hundreds of MB.
 */
export function chatSteps(ctx: VllmContext, choice: GeneratedChoice): ChatSteps {
  const reasoning = choice.reasoningPieces;
  const tools: ChatStep[] = [];
  choice.toolCalls.forEach((call, index) => {
    tools.push({
      delta: {
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      },
      tokens: [],
    });
    for (const piece of splitTokens(call.arguments)) {
      tools.push({
        delta: { tool_calls: [{ index, function: { arguments: piece } }] },
        tokens: [piece],
      });
    }
  });
  const content = choice.contentPieces;
  const contentFrom = reasoning.length + tools.length;
  return {
    length: contentFrom + content.length,
    at(index) {
      if (index < reasoning.length) {
        const piece = reasoning[index]!;
        return { delta: reasoningFields(ctx, piece), tokens: [piece] };
      }
      if (index < contentFrom) return tools[index - reasoning.length]!;
      const piece = content[index - contentFrom]!;
      return { delta: { content: piece }, tokens: [piece] };
    },
  };
}

/** Every token the model generated for a choice, as a non-streaming answer's logprobs list them. */
export function generatedTokens(choice: GeneratedChoice): string[] {
  const raw = choice.toolCalls.length > 0 ? splitTokens(toolCallsText(choice.toolCalls)) : [];
  return [...choice.reasoningPieces, ...raw, ...choice.contentPieces];
}

/** The assistant message of a non-streaming answer. */
export function chatMessage(ctx: VllmContext, choice: GeneratedChoice): Record<string, unknown> {
  const reasoning = choice.reasoningPieces.length > 0 ? choice.reasoningPieces.join('') : null;
  const calls = choice.toolCalls;
  const named = calls[0]?.named === true;
  return {
    role: 'assistant',
    content: calls.length > 0 ? (named ? '' : null) : choice.contentPieces.join(''),
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
    tool_calls: calls.map(call => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
    ...reasoningFields(ctx, reasoning),
  };
}
