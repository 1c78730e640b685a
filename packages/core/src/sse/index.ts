export { readSseEvents, type SseEvent } from './read-sse-events';
export { readSseJson, defaultInBandError, type ReadSseJsonOptions } from './read-sse-json';
export { sseJson, sseEvent, SSE_DONE, type SseEventInit } from './write-sse';
