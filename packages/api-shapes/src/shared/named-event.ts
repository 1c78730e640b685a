/**
 * One named SSE event as the proxy writes it: `event: <type>` and its JSON
 * on one `data:` line. The Anthropic and Responses APIs both name their
 * events this way. Kept here, beside the translators that write events as
 * text (see {@link TranslatedStream.nextFrames}), so the bytes they make and
 * the bytes of an event serialised whole can never drift apart.
 */
export function namedEventText(type: string, json: string): string {
  return `event: ${type}\ndata: ${json}\n\n`;
}

/** Where a value goes in an event template ({@link namedEventParts}); never in serialised JSON. */
export const HOLE = '\u0000';

/**
 * A named event's text cut at each {@link HOLE} in `json`: the fixed parts
 * of an event made many times per stream, built once, so each event is a
 * few string joins (`parts[0] + value + parts[1] …`).
 */
export function namedEventParts(type: string, json: string): string[] {
  return namedEventText(type, json).split(HOLE);
}
