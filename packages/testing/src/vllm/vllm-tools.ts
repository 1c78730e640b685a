/**
 * Tool calling: which tool the emulated model calls and with which JSON
 * arguments (built from the tool's JSON Schema, deterministically).
 */
import { hashText } from '../shared/text-generator';
import { isRecord } from './field-checks';
import { spacedJson, valueForSchema } from './json-schema-value';
import { randomHex } from './vllm-context';

/** A tool call the model makes. */
export interface ToolCallPlan {
  id: string;
  name: string;
  /** The arguments as a JSON string, as OpenAI sends them. */
  arguments: string;
  /** The text the model would have produced for the call (counted as completion tokens). */
  rawText: string;
  /** True for a named `tool_choice`: vLLM then ends with finish_reason "stop". */
  named: boolean;
}

/** Options for {@link planToolCalls}. */
export interface PlanToolCallOptions {
  tools: unknown[] | undefined;
  toolChoice: unknown;
  messages: unknown[];
  seedText: string;
  /** `parallel_tool_calls: true`: with several tools offered, call up to three of them. */
  parallel?: boolean;
}

/** Most calls one parallel answer makes. */
const MAX_PARALLEL_CALLS = 3;

/**
 * Decides the tool calls (none, one, or — with `parallel_tool_calls: true`
 * and several tools offered — up to three distinct ones). `auto` calls a
 * tool unless the conversation ends with a tool result (then the model
 * answers in text), so agent loops end.
 */
export function planToolCalls(options: PlanToolCallOptions): ToolCallPlan[] {
  const tools = (options.tools ?? []).filter(isRecord);
  if (tools.length === 0) return [];
  const choice = options.toolChoice ?? 'auto';
  if (choice === 'none') return [];
  if (isRecord(choice)) {
    const wanted = isRecord(choice.function) ? choice.function.name : undefined;
    const tool = tools.find(t => isRecord(t.function) && t.function.name === wanted);
    const call = tool && callFor(tool, options.seedText, true);
    return call ? [call] : [];
  }
  const last = options.messages[options.messages.length - 1];
  if (choice === 'auto' && isRecord(last) && last.role === 'tool') return [];
  const first = hashText(options.seedText) % tools.length;
  const count = options.parallel ? Math.min(tools.length, MAX_PARALLEL_CALLS) : 1;
  const calls: ToolCallPlan[] = [];
  for (let i = 0; i < count; i++) {
    const call = callFor(tools[(first + i) % tools.length]!, options.seedText, false);
    if (call) calls.push(call);
  }
  return calls;
}

function callFor(
  tool: Record<string, unknown>,
  seedText: string,
  named: boolean,
): ToolCallPlan | undefined {
  const fn = isRecord(tool.function) ? tool.function : undefined;
  if (!fn || typeof fn.name !== 'string') return undefined;
  // vLLM's tool parsers re-serialise the arguments with json.dumps.
  const value = valueForSchema(fn.parameters, `${seedText}:${fn.name}`);
  return {
    id: `chatcmpl-tool-${randomHex()}`,
    name: fn.name,
    arguments: spacedJson(value),
    rawText: spacedJson({ name: fn.name, arguments: value }),
    named,
  };
}

/** The named function in `tool_choice`, if it names one that `tools` lacks. */
export function missingNamedTool(tools: unknown, toolChoice: unknown): boolean {
  if (!isRecord(toolChoice)) return false;
  const wanted = isRecord(toolChoice.function) ? toolChoice.function.name : undefined;
  const list = Array.isArray(tools) ? tools.filter(isRecord) : [];
  return !list.some(t => isRecord(t.function) && t.function.name === wanted);
}
