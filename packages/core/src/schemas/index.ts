export * from './chat-completion';
export * from './chat-completion-chunk';
export * from './chat-completion-request';
export * from './chat-message';
export * from './content-part';
export * from './embedding';
export { formatIssuePath, formatZodError, parseOrThrow } from './parse-or-throw';
export { isPlainChatRequest } from './plain-chat-request';
export {
  booleanField,
  type FieldCheck,
  isNullish,
  isPlainObject,
  numberField,
  type PlainFieldsOptions,
  plainFieldsPass,
  stringField,
} from './plain-fields';
export * from './rerank';
export { chatCompletionShapeIssue, expectChatCompletion } from './response-shape';
export * from './text-completion';
export * from './tool';
export * from './transcription';
export * from './usage';
