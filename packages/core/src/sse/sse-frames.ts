import type { Usage } from '../schemas/usage';

/** Decodes frames kept as bytes when someone asks for their text (complete events: no character is cut). */
const FRAME_TEXT = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A run of consecutive stream events relayed as the text that came in:
 * complete `data: …\n\n` frames, ready to write to a client as they are.
 * A stream hands these out only to a consumer that asks for them
 * ({@link FramesIterator.nextFrames}); in a relay's run, events whose
 * content matters to anyone (usage, a finish reason, reasoning, an error,
 * …) are never inside one, they come parsed as usual (a translator's run
 * says its usage in {@link SseFrames.usage}).
 *
 * Why: a proxy relaying a token stream would otherwise parse each event's
 * JSON, look at it, and write it again, once per token. Most events are
 * plain text deltas nobody needs to read; relaying their bytes in one
 * write per upstream read is what a pass-through does.
 */
export class SseFrames {
  /** How many events {@link text} holds. */
  readonly count: number;
  /**
   * The frames as the upstream's own bytes (UTF-8), when the reader took
   * them from its input without decoding them; undefined for frames made
   * as text. A relay writes these as they are: no decode, no re-encode.
   */
  readonly bytes: Uint8Array | undefined;
  /**
   * The token counts the upstream reported in the chunks these frames were
   * translated from (chat's shape), for frames a translator wrote in
   * another API's shape (api-shapes' TranslatedStream): its events carry
   * the counts in their own shape, and the proxy bills from these instead
   * of parsing them back. Undefined for a relay's runs, which never hold
   * usage (such events come parsed), and for runs whose chunks had none.
   */
  readonly usage: Usage | undefined;
  #text: string | undefined;

  /**
   * `frames`: the frames as text, or as the UTF-8 bytes that came in;
   * `usage`: see {@link usage}.
   */
  constructor(frames: string | Uint8Array, count: number, usage?: Usage) {
    if (typeof frames === 'string') {
      this.#text = frames;
      this.bytes = undefined;
    } else {
      this.bytes = frames;
    }
    this.count = count;
    this.usage = usage;
  }

  /** The frames, each `data: <json>\n\n` (decoded from {@link bytes} on first use). */
  get text(): string {
    this.#text ??= FRAME_TEXT.decode(this.bytes);
    return this.#text;
  }
}

/**
 * An async iterator that can also hand out {@link SseFrames}: `next()`
 * yields parsed values only (for every ordinary consumer), `nextFrames()`
 * yields parsed values or runs of unparsed frames (for a relay that writes
 * them on). Each layer of a stream that knows which events need no look
 * decides it in its own `nextFrames()`.
 */
export interface FramesIterator<T> extends AsyncIterator<T> {
  nextFrames(): Promise<IteratorResult<T | SseFrames>>;
}

/** Whether `iterator` offers {@link FramesIterator.nextFrames}. */
export function hasFrames<T>(iterator: AsyncIterator<T>): iterator is FramesIterator<T> {
  return typeof (iterator as Partial<FramesIterator<T>>).nextFrames === 'function';
}
