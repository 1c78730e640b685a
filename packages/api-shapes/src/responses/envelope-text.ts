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
    (details === null ? 'null' : JSON.stringify(details)) +
    parts[2]! +
    output +
    parts[3]! +
    (usage === null ? 'null' : JSON.stringify(usage)) +
    parts[4]!
  );
}
