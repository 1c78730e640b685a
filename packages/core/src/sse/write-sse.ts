import { sourceTextOf } from './source-text';

/** The end-of-stream marker OpenAI-compatible clients wait for. */
export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * One `data:` event holding `value` as JSON. JSON.stringify escapes CR and
 * LF inside strings, so the payload can never break the framing.
 */
export function sseJson(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/**
 * The same event as {@link sseJson}, re-using the upstream text `value` was
 * parsed from when {@link readSseJson} kept it (`keepSourceText`). Only for
 * relaying values that nothing has changed in place since they were read:
 * the kept text is what was received, not what the value now holds.
 */
export function sseJsonAsReceived(value: unknown): string {
  const text = sourceTextOf(value);
  return text === undefined ? sseJson(value) : `data: ${text}\n\n`;
}

/** A full event for arbitrary text. */
export interface SseEventInit {
  data: string;
  event?: string;
  id?: string;
  /** Reconnection delay hint in milliseconds. */
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Formats an event whose data may contain line breaks: each line becomes its
 * own `data:` line, which the reader joins back with `\n`. `event` and `id`
 * cannot be split that way, so a line break in them is refused rather than
 * allowed to inject a forged event.
 */
export function sseEvent(init: SseEventInit): string {
  let out = '';
  if (init.event !== undefined) out += `event: ${singleLine('event', init.event)}\n`;
  if (init.id !== undefined) out += `id: ${singleLine('id', init.id)}\n`;
  if (init.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(init.retry))}\n`;
  for (const line of init.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return `${out}\n`;
}

function singleLine(field: string, value: string): string {
  if (LINE_BREAK.test(value)) throw new TypeError(`SSE ${field} must not contain CR or LF`);
  return value;
}
