export { type EnvelopeOptions, finalStatus, responseEnvelope, responsesUsage } from './envelope';
export { chatChunksToResponseEvents, type ResponseEventOptions } from './event-stream';
export { chatToResponse, type ToResponseOptions } from './from-chat-completion';
export { inputItemsToMessages } from './input-to-messages';
export { isPlainResponsesRequest } from './plain-request';
export { responsesRequestSchema } from './request-schema';
export { responsesToChatRequest } from './to-chat-request';
export type * from './types';
