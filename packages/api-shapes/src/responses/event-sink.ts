import { eventWithText } from '../shared/event-text';
import { namedEventText } from '../shared/named-event';
import type { ResponseObject, ResponsesStreamEvent } from './types';

export type Emit = (event: ResponsesStreamEvent) => void;
export type Write = (text: string) => void;

/**
 * Where the events of one Responses stream go, numbered by
 * `sequence_number` in the order they are made. `emit` and `write` are the
 * chunk in hand's (see ChunkTranslator): `write` is set only when the
 * consumer takes SSE text.
 */
export class EventSink {
  seq = 0;
  emit: Emit = () => {};
  write: Write | undefined;

  /**
   * Numbers and emits an event. When the consumer takes SSE text, an event
   * that carries no response object (every one but created, in_progress
   * and the final one, which the proxy reads for usage and storage) is
   * written as its text instead: serialised here, where it is made, it
   * joins the text around it in one write rather than going out as one
   * object, one hop and one write of its own.
   */
  event(event: Omit<ResponsesStreamEvent, 'sequence_number'>): void {
    // Numbered in place (the key goes last, as a spread would put it): no copy per event.
    const numbered = event as ResponsesStreamEvent;
    numbered.sequence_number = this.seq++;
    const write = this.write;
    if (write !== undefined && !('response' in numbered))
      write(namedEventText(numbered.type, JSON.stringify(numbered)));
    else this.emit(numbered);
  }

  /**
   * Emits an event carrying the whole response (read as an object by the
   * proxy, for usage and storage) with its JSON already made (from the
   * envelope's template), carried as the event's text (see eventWithText)
   * so that nobody serialises the response again.
   */
  whole(type: string, response: ResponseObject, json: string): void {
    const seq = this.seq++;
    this.emit(
      eventWithText(type, response, seq, wholeJson(type, json, seq)) as ResponsesStreamEvent,
    );
  }

  /**
   * Writes an event carrying the whole response as text alone, for a
   * consumer of text when nobody needs it as an object (created and
   * in_progress: no usage yet, nothing to store).
   */
  wholeText(type: string, json: string): void {
    this.write!(namedEventText(type, wholeJson(type, json, this.seq++)));
  }
}

/** `{type, response, sequence_number}` as JSON, the response's JSON given. */
function wholeJson(type: string, response: string, seq: number): string {
  return `{"type":"${type}","response":${response},"sequence_number":${seq}}`;
}
