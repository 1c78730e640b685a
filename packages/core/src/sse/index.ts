export { everyJsonValueIs, hasJsonKey, jsonValueAt } from './json-key-scan';
export { readSseEvents, type SseEvent } from './read-sse-events';
export {
  defaultInBandError,
  type PassUnparsed,
  type ReadSseJsonOptions,
  readSseJson,
  type SseJsonIterator,
} from './read-sse-json';
export { keepSourceText, sourceTextOf } from './source-text';
export type { PassUnparsedLatin1 } from './sse-event-bytes';
export { type FramesIterator, hasFrames, SseFrames } from './sse-frames';
export { SSE_DONE, type SseEventInit, sseEvent, sseJson, sseJsonAsReceived } from './write-sse';
