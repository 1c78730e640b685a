/**
 * Structured outputs: the constraint a request puts on the generated text
 * and the text an emulated model writes under it. vLLM reads OpenAI's
 * `response_format` (`json_object`, `json_schema`), its own
 * `structured_outputs` object (`json`, `json_object`, `choice`, …) and the
 * older `guided_json` / `guided_choice` fields; the emulator answers JSON
 * that fits the schema, or one of the choices, fixed by the prompt.
 * `regex`, `grammar` and `structural_tag` constraints are accepted but not
 * emulated (the text stays free).
 */
import { generateTokens, hashText } from '../shared/text-generator';
import { isRecord } from './field-checks';
import { spacedJson, valueForSchema } from './json-schema-value';
import { validationError } from './pydantic-message';
import { badRequest } from './vllm-errors';

/** What the output must be. */
export type OutputConstraint =
  | { kind: 'json'; schema: unknown }
  | { kind: 'json_object' }
  | { kind: 'choice'; choices: string[] };

const RESPONSE_FORMAT_TYPES = ['text', 'json_object', 'json_schema', 'structural_tag'];

/** Reads the request's constraint; undefined when the text is free. Throws vLLM's 400s. */
export function readOutputConstraint(body: Record<string, unknown>): OutputConstraint | undefined {
  const fromFormat = responseFormatConstraint(body.response_format);
  if (fromFormat !== undefined) return fromFormat;
  const structured = body.structured_outputs;
  if (structured !== undefined && structured !== null) {
    if (!isRecord(structured)) {
      throw validationError([
        {
          type: 'dict_type',
          loc: ['structured_outputs'],
          msg: 'Input should be a valid dictionary',
          input: structured,
        },
      ]);
    }
    return paramsConstraint({
      json: structured.json,
      jsonObject: structured.json_object,
      choice: structured.choice,
    });
  }
  return paramsConstraint({
    json: body.guided_json,
    jsonObject: undefined,
    choice: body.guided_choice,
  });
}

function responseFormatConstraint(format: unknown): OutputConstraint | undefined {
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format) || !RESPONSE_FORMAT_TYPES.includes(String(format.type))) {
    throw validationError([
      {
        type: 'literal_error',
        loc: ['response_format', 'type'],
        msg: "Input should be 'text', 'json_object', 'json_schema' or 'structural_tag'",
        input: isRecord(format) ? (format.type ?? null) : format,
      },
    ]);
  }
  if (format.type === 'json_object') return { kind: 'json_object' };
  if (format.type !== 'json_schema') return undefined;
  const spec = format.json_schema;
  if (!isRecord(spec)) {
    throw badRequest(
      'When response_format type is `json_schema`, `json_schema` must be set.',
      'response_format',
    );
  }
  return { kind: 'json', schema: spec.schema ?? {} };
}

function paramsConstraint(params: {
  json: unknown;
  jsonObject: unknown;
  choice: unknown;
}): OutputConstraint | undefined {
  if (params.json !== undefined && params.json !== null) {
    return { kind: 'json', schema: parseSchema(params.json) };
  }
  if (params.jsonObject === true) return { kind: 'json_object' };
  if (Array.isArray(params.choice) && params.choice.length > 0) {
    return { kind: 'choice', choices: params.choice.map(String) };
  }
  return undefined;
}

/** `guided_json` / `structured_outputs.json` may be the schema or its JSON text. */
function parseSchema(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`Invalid JSON grammar specification: ${value.slice(0, 200)}`);
  }
}

/** The text the emulated model writes under `constraint`, fixed by `seed`. */
export function constrainedText(constraint: OutputConstraint, seed: string): string {
  switch (constraint.kind) {
    case 'json':
      return spacedJson(valueForSchema(constraint.schema, `json:${seed}`));
    case 'json_object': {
      const words = generateTokens({ seedText: `json_object:${seed}`, count: 6 });
      return spacedJson({ answer: words.join('').replace(/\.$/, '') });
    }
    case 'choice':
      return constraint.choices[hashText(`choice:${seed}`) % constraint.choices.length]!;
  }
}
