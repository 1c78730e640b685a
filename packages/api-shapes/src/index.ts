/**
 * @switchyard/api-shapes — the Anthropic Messages API and the OpenAI
 * Responses API over OpenAI chat completions, as pure functions: a request
 * becomes a chat request, a chat completion becomes the API's answer, and
 * a stream of chat chunks becomes the API's event stream, translated chunk
 * by chunk as it arrives.
 *
 * @packageDocumentation
 */

export * from './anthropic/index';
export * from './responses/index';
export { eventText } from './shared/event-text';
export { idFromChatId, newId } from './shared/ids';
export { namedEventText } from './shared/named-event';
export { parseToolArguments } from './shared/tool-arguments';
export { type ChunkTranslator, TranslatedStream } from './shared/translated-stream';
