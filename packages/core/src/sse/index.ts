export { readSseEvents, type SseEvent } from './read-sse-events';
export { defaultInBandError, type ReadSseJsonOptions, readSseJson } from './read-sse-json';
export { SSE_DONE, type SseEventInit, sseEvent, sseJson } from './write-sse';
