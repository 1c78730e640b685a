import { HOLE, namedEventParts, namedEventText } from '../shared/named-event';

/**
 * The SSE text of a message item's events, for a consumer that takes text
 * (see TranslatedStream.nextFrames): made from templates instead of event
 * objects serialised whole, the answer text serialised once where the
 * closing events carry it three times. Key order as the event objects have
 * it: the bytes must equal theirs serialised (tests compare the two).
 * Item ids are ours (`msg_` and hex), written without escaping.
 */

/** `response.output_item.added` and `response.content_part.added` of a new message item. */
export function messageOpenedText(id: string, index: number, seq: number): string {
  return (
    namedEventText(
      'response.output_item.added',
      `{"type":"response.output_item.added","output_index":${index},"item":{"type":"message","id":"${id}","role":"assistant","status":"in_progress","content":[]},"sequence_number":${seq}}`,
    ) +
    namedEventText(
      'response.content_part.added',
      `{"type":"response.content_part.added","item_id":"${id}","output_index":${index},"content_index":0,"part":{"type":"output_text","text":"","annotations":[]},"sequence_number":${seq + 1}}`,
    )
  );
}

/** `response.output_text.delta` cut at its item id, output index, delta and sequence number: split once. */
const DELTA = namedEventParts(
  'response.output_text.delta',
  `{"type":"response.output_text.delta","item_id":"${HOLE}","output_index":${HOLE},"content_index":0,"delta":${HOLE},"logprobs":[],"sequence_number":${HOLE}}`,
);

/** A message item's `response.output_text.delta` text cut where the delta and the sequence number go. */
export function messageDeltaParts(id: string, index: number): string[] {
  return [DELTA[0]! + id + DELTA[1]! + index + DELTA[2]!, DELTA[3]!, DELTA[4]!];
}

/** The closing events of a message item and the item's own JSON (for the final response). */
export interface MessageClosedText {
  /** `response.output_text.done`, `response.content_part.done`, `response.output_item.done`. */
  text: string;
  item: string;
}

/** A message item's closing events, numbered from `seq`, once its whole text is known. */
export function messageClosedText(
  id: string,
  index: number,
  text: string,
  seq: number,
): MessageClosedText {
  const textJson = JSON.stringify(text);
  const part = `{"type":"output_text","text":${textJson},"annotations":[]}`;
  const item = `{"type":"message","id":"${id}","role":"assistant","status":"completed","content":[${part}]}`;
  const at = `"item_id":"${id}","output_index":${index},"content_index":0`;
  return {
    text:
      namedEventText(
        'response.output_text.done',
        `{"type":"response.output_text.done",${at},"text":${textJson},"logprobs":[],"sequence_number":${seq}}`,
      ) +
      namedEventText(
        'response.content_part.done',
        `{"type":"response.content_part.done",${at},"part":${part},"sequence_number":${seq + 1}}`,
      ) +
      itemDoneText(index, item, seq + 2),
    item,
  };
}

/** `response.output_item.done` of any item, given the item's JSON. */
export function itemDoneText(index: number, item: string, seq: number): string {
  return namedEventText(
    'response.output_item.done',
    `{"type":"response.output_item.done","output_index":${index},"item":${item},"sequence_number":${seq}}`,
  );
}
