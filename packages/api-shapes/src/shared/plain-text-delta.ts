import { everyJsonValueIs, jsonValueAt } from '@switchyard/core';

/** The answer text one chat chunk adds, read from the chunk's JSON text. */
export interface PlainTextDelta {
  /** The text itself ('' when the chunk adds none). */
  text: string;
  /** The text as `JSON.stringify(text)` writes it, ready to splice into an event. */
  json: string;
}

const NO_TEXT: PlainTextDelta = { text: '', json: '""' };
/** What JSON.stringify would escape that a string literal without `\` may still hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_ESCAPE = /[\u0000-\u001f]|\p{Cs}/u;

/**
 * The content delta of a chat chunk given as JSON text, when the chunk
 * tells a translator nothing else: one choice (every `index` is 0), no
 * finish reason, usage, tool calls, reasoning or logprobs, and at most one
 * `content` key, a string or null. Undefined for anything else (the chunk
 * must then be parsed). Uses the key scan of `@switchyard/core`, so its
 * soundness argument applies: producers write keys plainly.
 *
 * Why: a translated stream would otherwise parse every token's chunk and
 * serialise every event it makes. `json` is byte for byte what
 * `JSON.stringify` makes of `text`, so an event spliced from it is the
 * event the slow path would write: the upstream's literal is used as it is
 * only when it holds no escape (nor a character JSON.stringify escapes);
 * otherwise it is decoded and written again.
 */
export function plainTextDelta(data: string): PlainTextDelta | undefined {
  if (
    !everyJsonValueIs(data, 'index', '0') ||
    !everyJsonValueIs(data, 'finish_reason', 'null') ||
    !everyJsonValueIs(data, 'usage', 'null') ||
    !everyJsonValueIs(data, 'tool_calls', 'null') ||
    !everyJsonValueIs(data, 'reasoning_content', 'null') ||
    !everyJsonValueIs(data, 'reasoning', 'null') ||
    !everyJsonValueIs(data, 'logprobs', 'null')
  )
    return undefined;
  const at = jsonValueAt(data, 'content');
  if (at === -1) return NO_TEXT;
  let delta: PlainTextDelta | undefined;
  let end: number;
  if (data.charCodeAt(at) === 0x22 /* " */) {
    end = stringEnd(data, at);
    if (end === -1) return undefined;
    delta = stringDelta(data.slice(at, end));
  } else if (data.startsWith('null', at)) {
    end = at + 4;
    delta = NO_TEXT;
  } else return undefined;
  // A second `content` key (in another object) would make the one read ambiguous.
  return delta !== undefined && data.indexOf('"content"', end) === -1 ? delta : undefined;
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
