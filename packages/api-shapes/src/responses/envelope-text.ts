import { jsonFields, jsonValue } from '../shared/json-value';
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

/** Usage's keys in the order responsesUsage sets them. */
const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'input_tokens_details',
  'output_tokens_details',
  'estimated',
];

/** `incomplete_details` as finalStatus makes it (`{reason}`), from a template. */
function detailsJson(details: ResponseObject['incomplete_details']): string {
  return details === null ? 'null' : jsonFields(details, ['reason']);
}

/** `usage` as responsesUsage makes it, from a template. */
function usageJson(usage: ResponseObject['usage']): string {
  return usage === null
    ? 'null'
    : jsonFields(usage as unknown as Record<string, unknown>, USAGE_KEYS);
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
    `{"id":${JSON.stringify(r.id)},"object":"response","created_at":${jsonValue(r.created_at)},"status":`,
    ',"error":null,"incomplete_details":',
    `,"instructions":${jsonValue(r.instructions)},"max_output_tokens":${jsonValue(r.max_output_tokens)},"model":${JSON.stringify(r.model)},"output":`,
    `,"parallel_tool_calls":${jsonValue(r.parallel_tool_calls)},"previous_response_id":${jsonValue(r.previous_response_id)},"reasoning":${reasoningJson(r.reasoning)},"store":${jsonValue(r.store)},"temperature":${jsonValue(r.temperature)},"text":${textJson(r.text)},"tool_choice":${jsonValue(r.tool_choice)},"tools":${listJson(r.tools)},"top_p":${jsonValue(r.top_p)},"truncation":"disabled","usage":`,
    `,"user":${jsonValue(r.user)},"metadata":${metadataJson(r.metadata)}}`,
  ];
  const json = `${parts[0]}"in_progress"${parts[1]}null${parts[2]}[]${parts[3]}null${parts[4]}`;
  return { json, parts };
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
