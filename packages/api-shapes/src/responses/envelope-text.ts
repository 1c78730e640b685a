import type { ResponseObject } from './types';

/** A response object's JSON while in progress, and cut where what changes as it completes goes. */
export interface EnvelopeText {
  /** The whole object, as `JSON.stringify` writes it. */
  json: string;
  /**
   * The text around its status, incomplete details, output and usage (see
   * {@link completedJson}); undefined if the object was not as
   * {@link responseEnvelope} makes it (then it is serialised whole).
   */
  parts: string[] | undefined;
}

const OUTPUT = ',"output":[],"parallel_tool_calls":';

/**
 * The JSON of a response object fresh from responseEnvelope (in
 * progress, no output, no usage), serialised once, and the places in it
 * of what changes as it completes: created and in_progress carry this
 * text, the final event the same text with those four values replaced,
 * so a stream serialises the request's echo (instructions, tools, …) once
 * instead of three times. Each place is found where nothing the client
 * wrote can imitate it: the head is made of our id and a number, the
 * output key follows only strings and a number (where every quote is
 * escaped), and the text's end is the user and metadata serialised here.
 */
export function envelopeText(response: ResponseObject): EnvelopeText {
  const json = JSON.stringify(response);
  const head = `{"id":${JSON.stringify(response.id)},"object":"response","created_at":${JSON.stringify(response.created_at)},"status":`;
  const status = `"in_progress","error":null,"incomplete_details":`;
  const afterDetails = head.length + status.length + 'null'.length;
  const output = json.indexOf(OUTPUT, afterDetails);
  const end = JSON.stringify({ user: response.user, metadata: response.metadata }).slice(1);
  const usage = `,"usage":null,${end}`;
  if (
    !json.startsWith(head + status, 0) ||
    json.slice(afterDetails - 4, afterDetails) !== 'null' ||
    output === -1 ||
    !json.endsWith(usage)
  )
    return { json, parts: undefined };
  const outputAt = output + ',"output":'.length;
  const usageAt = json.length - usage.length + ',"usage":'.length;
  return {
    json,
    parts: [
      head,
      json.slice(head.length + '"in_progress"'.length, afterDetails - 4),
      json.slice(afterDetails, outputAt),
      json.slice(outputAt + 2, usageAt),
      json.slice(usageAt + 4),
    ],
  };
}

/** The final response's JSON from the in-progress text's parts, `output` given as JSON text. */
export function completedJson(
  parts: readonly string[],
  response: Pick<ResponseObject, 'status' | 'incomplete_details' | 'usage'>,
  output: string,
): string {
  const { incomplete_details: details, usage } = response;
  return (
    parts[0]! +
    // One of four fixed words: nothing to escape.
    `"${response.status}"` +
    parts[1]! +
    detailsJson(details) +
    parts[2]! +
    output +
    parts[3]! +
    usageJson(usage) +
    parts[4]!
  );
}

/**
 * `incomplete_details` as JSON: `{reason}` as finalStatus makes it without
 * a call to `JSON.stringify` (about a microsecond for any object on Node
 * 20), anything else serialised.
 */
function detailsJson(details: ResponseObject['incomplete_details']): string {
  if (details === null) return 'null';
  const keys = Object.keys(details);
  return keys.length === 1 && keys[0] === 'reason' && typeof details.reason === 'string'
    ? `{"reason":${JSON.stringify(details.reason)}}`
    : JSON.stringify(details);
}

/** `usage` as JSON: the three counts responsesUsage makes, in its order; anything else serialised. */
function usageJson(usage: ResponseObject['usage']): string {
  if (usage === null) return 'null';
  const { input_tokens: input, output_tokens: output, total_tokens: total } = usage;
  const keys = Object.keys(usage);
  const counts =
    keys.length === 3 &&
    keys[0] === 'input_tokens' &&
    keys[1] === 'output_tokens' &&
    keys[2] === 'total_tokens' &&
    isCount(input) &&
    (output === null || isCount(output)) &&
    isCount(total);
  return counts
    ? `{"input_tokens":${input},"output_tokens":${output},"total_tokens":${total}}`
    : JSON.stringify(usage);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * {@link envelopeText} of an object just made by responseEnvelope, put
 * together from its values in the order responseEnvelope writes its keys
 * instead of serialised whole and searched: the parts are known by
 * construction. Each value is written as `JSON.stringify` writes it inside
 * the object; null, booleans and the defaults responseEnvelope fills in
 * without a call. A response whose `created_at` or `model` is missing (a
 * chunk without them: `JSON.stringify` would leave the key out) goes the
 * general way.
 */
export function freshEnvelopeText(response: ResponseObject): EnvelopeText {
  const r = response as ResponseObject & Record<string, unknown>;
  if (r.created_at === undefined || r.model === undefined) return envelopeText(response);
  const parts = [
    `{"id":${JSON.stringify(r.id)},"object":"response","created_at":${value(r.created_at)},"status":`,
    ',"error":null,"incomplete_details":',
    `,"instructions":${value(r.instructions)},"max_output_tokens":${value(r.max_output_tokens)},"model":${JSON.stringify(r.model)},"output":`,
    `,"parallel_tool_calls":${value(r.parallel_tool_calls)},"previous_response_id":${value(r.previous_response_id)},"reasoning":${reasoningJson(r.reasoning)},"store":${value(r.store)},"temperature":${value(r.temperature)},"text":${textJson(r.text)},"tool_choice":${value(r.tool_choice)},"tools":${listJson(r.tools)},"top_p":${value(r.top_p)},"truncation":"disabled","usage":`,
    `,"user":${value(r.user)},"metadata":${metadataJson(r.metadata)}}`,
  ];
  const json = `${parts[0]}"in_progress"${parts[1]}null${parts[2]}[]${parts[3]}null${parts[4]}`;
  return { json, parts };
}

/** A value as JSON: null, booleans and finite numbers without a call to JSON.stringify. */
function value(v: unknown): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  return JSON.stringify(v);
}

/** `reasoning` as responseEnvelope makes it: `{effort, summary}`. */
function reasoningJson(reasoning: unknown): string {
  const r = reasoning as { effort?: unknown; summary?: unknown };
  return r.effort === null && r.summary === null
    ? '{"effort":null,"summary":null}'
    : JSON.stringify(reasoning);
}

/** `text` as responseEnvelope makes it: `{format}`, by default `{type: "text"}`. */
function textJson(text: unknown): string {
  const format = (text as { format?: unknown }).format;
  if (isPlainObject(format) && format.type === 'text' && Object.keys(format).length === 1)
    return '{"format":{"type":"text"}}';
  return JSON.stringify(text);
}

function listJson(list: unknown): string {
  return Array.isArray(list) && list.length === 0 ? '[]' : JSON.stringify(list);
}

/** `metadata`, by default `{}`. */
function metadataJson(metadata: unknown): string {
  if (!isPlainObject(metadata)) return JSON.stringify(metadata);
  for (const _ in metadata) return JSON.stringify(metadata);
  return '{}';
}

/** An object as JSON.parse makes it (no prototype of its own, so no toJSON): its own keys are all JSON sees. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
