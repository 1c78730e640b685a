import { namedEventText } from './named-event';

/**
 * A translated event made with its SSE text at hand (a Responses event
 * carrying the whole response, Anthropic's `message_start`: events whose
 * JSON the translator already built from a template):
 * the text travels with the event in a private field, and the proxy writes
 * it as it is ({@link eventText}) instead of serialising the response again.
 *
 * Why not core's keepSourceText: an entry in its WeakMap cost about a
 * microsecond per event (an ephemeron table that every scavenge walks),
 * three per Responses stream. A private field is as safe: a copy of the
 * event (`{ ...event }`, as the proxy's echo of `store` makes one) carries
 * no text, so a changed copy is never sent as the original's bytes.
 * `JSON.stringify`, spreads and key listings see only the public fields,
 * in the order an object literal would have them: a subclass declares its
 * fields in the API's order and hands its text to this constructor.
 */
export class TextEvent {
  readonly #text: string;

  /** `text`: the event's named SSE text, byte for byte its fields serialised. */
  constructor(text: string) {
    this.#text = text;
  }

  static textOf(value: unknown): string | undefined {
    return value instanceof TextEvent ? value.#text : undefined;
  }
}

/** A Responses event carrying the whole response (fields in the order the API writes them). */
class ResponseTextEvent extends TextEvent {
  type: string;
  response: unknown;
  sequence_number: number;

  constructor(type: string, response: unknown, sequenceNumber: number, text: string) {
    super(text);
    this.type = type;
    this.response = response;
    this.sequence_number = sequenceNumber;
  }
}

/**
 * `{type, response, sequence_number}` whose named SSE text is
 * `event: <type>` and `data: <json>`; `json` must be byte for byte the
 * event serialised by `JSON.stringify`.
 */
export function eventWithText(
  type: string,
  response: unknown,
  sequenceNumber: number,
  json: string,
): { type: string; response: unknown; sequence_number: number } {
  return new ResponseTextEvent(type, response, sequenceNumber, namedEventText(type, json));
}

/**
 * The named SSE text (`event: <type>\ndata: <json>\n\n`) an event was made
 * with by a translator, or undefined for any other value (then serialise
 * it). Never a copy's: see {@link eventWithText}.
 */
export function eventText(event: unknown): string | undefined {
  return TextEvent.textOf(event);
}
