/**
 * Tool calling: which tool the emulated model calls and with which JSON
 * arguments (built from the tool's JSON Schema, deterministically).
 */
import { generateTokens, hashText } from '../shared/text-generator';
import { isRecord } from './field-checks';
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

/** Options for {@link planToolCall}. */
export interface PlanToolCallOptions {
  tools: unknown[] | undefined;
  toolChoice: unknown;
  messages: unknown[];
  seedText: string;
}

/**
 * Decides the tool call. `auto` calls a tool unless the conversation ends
 * with a tool result (then the model answers in text), so agent loops end.
 */
export function planToolCall(options: PlanToolCallOptions): ToolCallPlan | undefined {
  const tools = (options.tools ?? []).filter(isRecord);
  if (tools.length === 0) return undefined;
  const choice = options.toolChoice ?? 'auto';
  if (choice === 'none') return undefined;
  let tool: Record<string, unknown> | undefined;
  let named = false;
  if (isRecord(choice)) {
    const wanted = isRecord(choice.function) ? choice.function.name : undefined;
    tool = tools.find(t => isRecord(t.function) && t.function.name === wanted);
    named = true;
  } else {
    const last = options.messages[options.messages.length - 1];
    if (choice === 'auto' && isRecord(last) && last.role === 'tool') return undefined;
    tool = tools[hashText(options.seedText) % tools.length];
  }
  const fn = tool && isRecord(tool.function) ? tool.function : undefined;
  if (!fn || typeof fn.name !== 'string') return undefined;
  const args = JSON.stringify(valueFor(fn.parameters, `${options.seedText}:${fn.name}`));
  return {
    id: `chatcmpl-tool-${randomHex()}`,
    name: fn.name,
    arguments: args,
    rawText: JSON.stringify({ name: fn.name, arguments: JSON.parse(args) }),
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

/** A value that fits a JSON Schema (the common keywords), fixed by `seed`. */
function valueFor(schema: unknown, seed: string): unknown {
  if (!isRecord(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return generateTokens({ seedText: seed, count: 2 }).join('').replace(/\.$/, '');
    case 'integer':
      return hashText(seed) % 100;
    case 'number':
      return (hashText(seed) % 10_000) / 100;
    case 'boolean':
      return hashText(seed) % 2 === 0;
    case 'array':
      return [valueFor(schema.items, `${seed}[0]`)];
    case 'null':
      return null;
    default: {
      const out: Record<string, unknown> = {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(properties))
        out[key] = valueFor(sub, `${seed}.${key}`);
      return out;
    }
  }
}
