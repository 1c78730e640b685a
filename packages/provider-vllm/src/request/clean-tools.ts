import { isRecord } from './is-record';

/**
 * vLLM rejects OpenAI's `strict` flag and `additionalProperties: false` in
 * tool schemas (LiteLLM issue #6228). These helpers remove them where they
 * are JSON-schema keywords only: a property *named* `strict` is kept, which
 * LiteLLM's blind recursive delete got wrong. Nothing is modified in place.
 */

/** Keywords whose value is a map from names to subschemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
/** Keywords whose value is one subschema. */
const SCHEMA_VALUES = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
];
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];

/** A JSON schema without `strict` keywords and without `additionalProperties: false`. */
export function cleanSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(cleanSchema);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'strict') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (SCHEMA_MAPS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, cleanSchema(sub)]),
      );
    } else if (SCHEMA_VALUES.includes(key) || SCHEMA_LISTS.includes(key)) {
      out[key] = cleanSchema(value);
    } else {
      // `default`, `enum`, `const`, `examples`, … hold data, not schemas.
      out[key] = value;
    }
  }
  return out;
}

/** Default parameters for a `custom` tool that brings none (LiteLLM's choice). */
const CUSTOM_TOOL_PARAMETERS = {
  type: 'object',
  properties: { input: { type: 'string', description: 'Raw tool input payload.' } },
  required: ['input'],
};

/**
 * Tools as vLLM accepts them: `strict` dropped from the tool and its
 * function, the parameter schema cleaned, and OpenAI `custom` tools turned
 * into function tools (vLLM knows only those).
 */
export function cleanTools(tools: readonly unknown[]): unknown[] {
  return tools.map((tool, index) => {
    if (!isRecord(tool)) return tool;
    if (tool.type === 'custom') return customToFunction(tool, index);
    const { strict: _strict, ...rest } = tool;
    if (!isRecord(rest.function)) return rest;
    const { strict: _fnStrict, ...fn } = rest.function;
    if (fn.parameters !== undefined) fn.parameters = cleanSchema(fn.parameters);
    return { ...rest, function: fn };
  });
}

function customToFunction(tool: Record<string, unknown>, index: number): Record<string, unknown> {
  const custom = isRecord(tool.custom) ? tool.custom : {};
  const name = stringOr(custom.name) ?? stringOr(tool.name) ?? `custom_tool_${index}`;
  const schema = custom.input_schema ?? tool.input_schema ?? CUSTOM_TOOL_PARAMETERS;
  const description = stringOr(custom.description) ?? stringOr(tool.description);
  return {
    type: 'function',
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      parameters: cleanSchema(schema),
    },
  };
}

/**
 * `tool_choice` naming a `custom` tool, pointed at the function tool it
 * became (vLLM knows only `{"type":"function",…}` choices); any other value
 * unchanged.
 */
export function cleanToolChoice(choice: unknown): unknown {
  if (!isRecord(choice) || choice.type !== 'custom' || !isRecord(choice.custom)) return choice;
  return { type: 'function', function: { name: choice.custom.name } };
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
