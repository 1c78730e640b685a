/**
 * A run of consecutive stream events relayed as the text that came in:
 * complete `data: …\n\n` frames, ready to write to a client as they are.
 * A stream hands these out only to a consumer that asks for them
 * ({@link FramesIterator.nextFrames}); events whose content matters to
 * anyone (usage, a finish reason, reasoning, an error, …) are never inside
 * one, they come parsed as usual.
 *
 * Why: a proxy relaying a token stream would otherwise parse each event's
 * JSON, look at it, and write it again, once per token. Most events are
 * plain text deltas nobody needs to read; relaying their bytes in one
 * write per upstream read is what a pass-through does.
 */
export class SseFrames {
  /** The frames, each `data: <json>\n\n`. */
  readonly text: string;
  /** How many events {@link text} holds. */
  readonly count: number;

  constructor(text: string, count: number) {
    this.text = text;
    this.count = count;
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
