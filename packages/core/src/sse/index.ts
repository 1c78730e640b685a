export { readSseEvents, type SseEvent } from './read-sse-events';
export { defaultInBandError, type ReadSseJsonOptions, readSseJson } from './read-sse-json';
export { keepSourceText, sourceTextOf } from './source-text';
export { SSE_DONE, type SseEventInit, sseEvent, sseJson, sseJsonAsReceived } from './write-sse';
