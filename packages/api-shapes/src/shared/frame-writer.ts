import { SseFrames, type Usage } from '@switchyard/core';

/**
 * Gathers the SSE text a translator writes for a run of chunks into one
 * {@link SseFrames} on the event queue, so the run goes out in one write.
 * Flushed before any event object is queued, which keeps text and objects
 * in order.
 */
export class FrameWriter<E> {
  readonly #queue: (E | SseFrames)[];
  #text = '';
  #count = 0;
  /** Usage seen in the chunks since the last run went out, for the next one. */
  #usage: Usage | undefined;
  readonly write = (text: string): void => {
    this.#text += text;
    this.#count++;
  };

  constructor(queue: (E | SseFrames)[]) {
    this.#queue = queue;
  }

  /**
   * Notes the usage a chunk reported: the next run queued carries it
   * ({@link SseFrames.usage}), since the events written for it may hold it
   * only in the other API's shape (or not yet: it comes before the end).
   */
  noteUsage(usage: Usage): void {
    this.#usage = usage;
  }

  /** Queues what was written since the last flush, if anything. */
  flush(): void {
    if (this.#count === 0) return;
    this.#queue.push(new SseFrames(this.#text, this.#count, this.#usage));
    this.#text = '';
    this.#count = 0;
    this.#usage = undefined;
  }
}

/**
 * The events of frames a translator wrote (`event: …\ndata: <json>\n\n`),
 * parsed back: for a consumer that switched from nextFrames() to next()
 * while such text was still queued. Not on any hot path.
 */
export function eventsOfFrames(frames: SseFrames): unknown[] {
  const events: unknown[] = [];
  for (const line of frames.text.split('\n')) {
    if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
  }
  return events;
}
