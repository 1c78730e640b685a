/** The answer text one chat chunk adds, read from the chunk's JSON text. */
export interface PlainTextDelta {
  /** The text itself. */
  text: string;
  /** The text as `JSON.stringify(text)` writes it, ready to splice into an event. */
  json: string;
}

/** A delta holding the content and nothing else, as vLLM (and JSON.stringify) write it. */
const CONTENT_ONLY = '"delta":{"content":"';
/** What JSON.stringify would escape that a string literal without `\` may still hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_ESCAPE = /[\u0000-\u001f]|\p{Cs}/u;

/**
 * The text of a chat chunk, given as JSON text, whose delta is exactly
 * `{"content":"…"}` (compact, nothing else in it: no role, tool calls or
 * reasoning); undefined for any other chunk, which must then be parsed.
 * For a chunk of an unparsed run ({@link SseFrames}) only: its producer
 * already vouched that it holds one choice and no usage, finish reason or
 * error, so the delta is all a translator would read.
 *
 * Why one exact match rather than a key scan per field: this runs per
 * token, and each scan of a chunk's text costs about what parsing it does.
 * The match is sound for the reason the key scan is: inside a JSON string
 * every `"` is escaped, so those unescaped quotes can only be the delta's
 * own key and value. `json` is byte for byte what `JSON.stringify` makes
 * of `text`: the upstream's literal is used as it is only when it holds no
 * escape (nor a character JSON.stringify escapes); otherwise it is decoded
 * and written again.
 */
export function plainTextDelta(data: string): PlainTextDelta | undefined {
  const key = data.indexOf(CONTENT_ONLY);
  if (key === -1) return undefined;
  const at = key + CONTENT_ONLY.length - 1;
  const end = stringEnd(data, at);
  // The literal must close the delta: nothing else may be in it.
  if (end === -1 || data.charCodeAt(end) !== 0x7d /* } */) return undefined;
  return stringDelta(data.slice(at, end));
}

/** The offset just past the string literal starting at `at` (a `"`), or -1 if it never closes. */
function stringEnd(data: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = data.indexOf('"', i);
    if (quote === -1) return -1;
    // The quote closes the literal unless an odd number of backslashes escapes it.
    let slashes = 0;
    while (data.charCodeAt(quote - 1 - slashes) === 0x5c /* \ */) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** The delta of one string literal (quotes included), or undefined when it is no valid JSON string. */
function stringDelta(literal: string): PlainTextDelta | undefined {
  const inner = literal.slice(1, -1);
  if (!inner.includes('\\') && !NEEDS_ESCAPE.test(inner)) return { text: inner, json: literal };
  let text: unknown;
  try {
    text = JSON.parse(literal);
  } catch {
    return undefined;
  }
  return typeof text === 'string' ? { text, json: JSON.stringify(text) } : undefined;
}
