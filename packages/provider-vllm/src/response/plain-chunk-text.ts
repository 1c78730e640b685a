import { everyJsonValueIs, hasJsonKey, jsonValueAt } from '@switchyard/core';

/**
 * Whether a vLLM chat chunk, from its JSON text alone, is one the chat
 * normaliser would pass on unchanged and that tells nobody anything: the
 * single choice 0 (`index` keys are all 0, so no second choice and no
 * second tool call), no finish reason, no usage, no error, no reasoning
 * field. What such a chunk holds (a text or tool-call delta) matters to the
 * client only, so a relay may send its bytes without parsing them.
 *
 * Whether its content still needs the `<think>` splitter is the
 * normaliser's state, not the text's: the caller checks that too.
 * Anything unusual answers false, and the chunk is then parsed as usual.
 */
export function isPlainChatChunkText(text: string): boolean {
  const choices = jsonValueAt(text, 'choices');
  return (
    choices !== -1 &&
    text.charCodeAt(choices) === 0x5b /* [ */ &&
    everyJsonValueIs(text, 'index', '0') &&
    everyJsonValueIs(text, 'finish_reason', 'null') &&
    everyJsonValueIs(text, 'usage', 'null') &&
    everyJsonValueIs(text, 'error', 'null') &&
    !hasJsonKey(text, 'reasoning') &&
    !hasJsonKey(text, 'reasoning_content')
  );
}
