import type { ChatCompletion } from '@switchyard/core';
import { idFromChatId, newId } from '../shared/ids';
import { type EnvelopeOptions, finalStatus, responseEnvelope, responsesUsage } from './envelope';
import type { ResponseObject, ResponsesOutputItem, ResponsesRequest } from './types';

/** Options for {@link chatToResponse}; the model defaults to the completion's (the upstream's). */
export interface ToResponseOptions extends Partial<EnvelopeOptions> {}

/**
 * A chat completion as a `response` object: the first choice's reasoning
 * as a `reasoning` item, its text as a `message` item with one
 * `output_text` part, each tool call as a `function_call` item. Cut short
 * by length, the response is `incomplete` with reason `max_output_tokens`.
 */
export function chatToResponse(
  completion: ChatCompletion,
  request: ResponsesRequest,
  options: ToResponseOptions = {},
): ResponseObject {
  const response = responseEnvelope(request, {
    id: options.id ?? idFromChatId('resp_', completion.id),
    createdAt: options.createdAt ?? completion.created,
    model: options.model ?? completion.model,
  });
  const choice = completion.choices[0];
  const message = choice?.message;
  const output: ResponsesOutputItem[] = [];
  const reasoning = message?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') {
    output.push({
      type: 'reasoning',
      id: newId('rs_'),
      summary: [],
      content: [{ type: 'reasoning_text', text: reasoning }],
    });
  }
  if (typeof message?.content === 'string' && message.content !== '') {
    output.push({
      type: 'message',
      id: newId('msg_'),
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: message.content, annotations: [] }],
    });
  }
  for (const call of message?.tool_calls ?? []) {
    output.push({
      type: 'function_call',
      id: newId('fc_'),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  }
  Object.assign(response, finalStatus(choice?.finish_reason));
  response.output = output;
  response.usage = responsesUsage(completion.usage);
  return response;
}
