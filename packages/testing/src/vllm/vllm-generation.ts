/**
 * What the emulated model "generates" for one choice: deterministic text
 * (or the scripted text), cut by the token budget and by stop strings,
 * with optional reasoning text and a tool call in front.
 */
import {
  countTokens,
  generateTokens,
  hashText,
  naturalTokenCount,
  splitTokens,
} from '../shared/text-generator';
import type { ToolCallPlan } from './vllm-tools';

/** Input for {@link generateChoice}. */
export interface GenerateChoiceOptions {
  /** What the output depends on: the rendered prompt plus the choice index. */
  seedText: string;
  maxTokens: number;
  stop: string[];
  includeStopStrInOutput: boolean;
  /** Forces the content text (tests compare fixture bodies exactly with it). */
  scriptedText?: string;
  /** Generate reasoning text first (a reasoning parser is configured). */
  reasoning: boolean;
  /** Answer with these tool calls instead of text. */
  toolCalls?: readonly ToolCallPlan[];
  /** Text a structured-output constraint dictates (wins over `scriptedText`). */
  constrainedText?: string;
}

/** One generated choice. */
export interface GeneratedChoice {
  /** Reasoning pieces, one per token (empty when none). */
  reasoningPieces: string[];
  /** Content pieces, one per token; joined they give the content. */
  contentPieces: string[];
  /** The tool calls made (empty when the answer is text). */
  toolCalls: ToolCallPlan[];
  /** Tokens the model produced (a stop string's token counts though its text is cut). */
  completionTokens: number;
  finishReason: 'stop' | 'length' | 'tool_calls';
  /** The stop string that matched, else null. */
  stopReason: string | null;
}

/** Generates one choice. */
export function generateChoice(options: GenerateChoiceOptions): GeneratedChoice {
  let budget = Math.max(0, options.maxTokens);
  const reasoningPieces: string[] = [];
  if (options.reasoning) {
    const wanted = 4 + (hashText(`think:${options.seedText}`) % 12);
    const thoughts = generateTokens({ seedText: `think:${options.seedText}`, count: wanted });
    reasoningPieces.push(...thoughts.slice(0, budget));
    budget -= reasoningPieces.length;
    if (reasoningPieces.length < thoughts.length) {
      return {
        reasoningPieces,
        contentPieces: [],
        toolCalls: [],
        completionTokens: reasoningPieces.length,
        finishReason: 'length',
        stopReason: null,
      };
    }
  }
  const calls = options.toolCalls ?? [];
  if (calls.length > 0) {
    const rawText = toolCallsText(calls);
    const callTokens = countTokens(rawText);
    if (callTokens <= budget) {
      return {
        reasoningPieces,
        contentPieces: [],
        toolCalls: [...calls],
        completionTokens: reasoningPieces.length + callTokens,
        finishReason: calls[0]!.named ? 'stop' : 'tool_calls',
        stopReason: null,
      };
    }
    // Out of budget mid-call: the parser finds no complete call, so the raw text is the content.
    const pieces = splitTokens(rawText).slice(0, budget);
    return {
      reasoningPieces,
      contentPieces: pieces,
      toolCalls: [],
      completionTokens: reasoningPieces.length + pieces.length,
      finishReason: 'length',
      stopReason: null,
    };
  }
  const fixedText = options.constrainedText ?? options.scriptedText;
  const source =
    fixedText !== undefined
      ? splitTokens(fixedText)
      : generateTokens({ seedText: options.seedText, count: naturalTokenCount(options.seedText) });
  const taken = source.slice(0, budget);
  const cut = applyStop(taken, options.stop, options.includeStopStrInOutput);
  if (cut) {
    return {
      reasoningPieces,
      contentPieces: cut.pieces,
      toolCalls: [],
      completionTokens: reasoningPieces.length + cut.tokensUsed,
      finishReason: 'stop',
      stopReason: cut.stop,
    };
  }
  return {
    reasoningPieces,
    contentPieces: taken,
    toolCalls: [],
    completionTokens: reasoningPieces.length + taken.length,
    finishReason: taken.length < source.length ? 'length' : 'stop',
    stopReason: null,
  };
}

/** The raw text of the calls as a tool parser reads it: one JSON object per line. */
export function toolCallsText(calls: readonly ToolCallPlan[]): string {
  return calls.map(call => call.rawText).join('\n');
}

interface StopCut {
  pieces: string[];
  tokensUsed: number;
  stop: string;
}

/** Finds the earliest stop string and cuts the pieces there, as vLLM's detokenizer does. */
function applyStop(pieces: string[], stops: string[], includeStop: boolean): StopCut | undefined {
  if (stops.length === 0) return undefined;
  const text = pieces.join('');
  let at = -1;
  let matched = '';
  for (const stop of stops) {
    if (stop.length === 0) continue;
    const index = text.indexOf(stop);
    if (index !== -1 && (at === -1 || index < at)) {
      at = index;
      matched = stop;
    }
  }
  if (at === -1) return undefined;
  const keepUntil = includeStop ? at + matched.length : at;
  const matchEnd = at + matched.length;
  const out: string[] = [];
  let offset = 0;
  let tokensUsed = 0;
  for (const piece of pieces) {
    if (offset < matchEnd) tokensUsed++;
    if (offset < keepUntil) out.push(piece.slice(0, Math.max(0, keepUntil - offset)));
    offset += piece.length;
  }
  return { pieces: out.filter(p => p.length > 0), tokensUsed, stop: matched };
}
