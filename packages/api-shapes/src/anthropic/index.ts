export { type AnthropicErrorBody, anthropicErrorBody, anthropicErrorType } from './errors';
export { type AnthropicEventOptions, chatChunksToAnthropicEvents } from './event-stream';
export { chatToAnthropicMessage, type ToAnthropicOptions } from './from-chat-completion';
export { isPlainMessagesRequest } from './plain-request';
export { anthropicCountTokensSchema, anthropicRequestSchema } from './request-schema';
export { anthropicStopReason, type ChatStop } from './stop-reason';
export { anthropicCountTokensToChatRequest, anthropicToChatRequest } from './to-chat-request';
export type * from './types';
export { anthropicUsage } from './usage';
