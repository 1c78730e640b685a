import {
  BadRequestError,
  type ChatCompletionRequest,
  type ChatMessage,
  type FunctionTool,
  type ToolChoice,
} from '@switchyard/core';
import { inputItemsToMessages } from './input-to-messages';
import type { ResponsesFunctionTool, ResponsesRequest } from './types';

type Effort = NonNullable<ChatCompletionRequest['reasoning_effort']>;
const EFFORTS: ReadonlySet<string> = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * A Responses request as a chat completion request: `instructions` as the
 * system message, `input` items as messages, function tools as chat tools
 * (server tools such as `web_search` cannot run on a self-hosted model and
 * are left out, as LiteLLM's bridge does), `max_output_tokens` as
 * `max_tokens`, `reasoning.effort` as `reasoning_effort`, `text.format` as
 * `response_format`. `store` and `previous_response_id` are the caller's
 * business: the input must already hold the conversation.
 */
export function responsesToChatRequest(request: ResponsesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '')
    messages.push({ role: 'system', content: request.instructions });
  messages.push(...inputItemsToMessages(request.input));
  if (messages.length === 0) {
    throw new BadRequestError({
      message: 'input: Field required (a string or items)',
      param: 'input',
    });
  }
  const chat: ChatCompletionRequest = { model: request.model, messages };
  const tools = functionTools(request.tools);
  if (tools.length > 0) {
    chat.tools = tools;
    const choice = toolChoice(request.tool_choice);
    if (choice !== undefined) chat.tool_choice = choice;
    if (typeof request.parallel_tool_calls === 'boolean')
      chat.parallel_tool_calls = request.parallel_tool_calls;
  }
  if (request.max_output_tokens != null) chat.max_tokens = request.max_output_tokens;
  if (request.temperature != null) chat.temperature = request.temperature;
  if (request.top_p != null) chat.top_p = request.top_p;
  if (typeof request.user === 'string' && request.user !== '') chat.user = request.user;
  const effort = request.reasoning?.effort;
  if (typeof effort === 'string' && EFFORTS.has(effort)) chat.reasoning_effort = effort as Effort;
  const format = request.text?.format;
  if (format?.type === 'json_schema') {
    chat.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        schema: format.schema,
        ...(format.strict != null ? { strict: format.strict } : {}),
        ...(format.description !== undefined ? { description: format.description } : {}),
      },
    };
  } else if (format?.type === 'json_object') chat.response_format = { type: 'json_object' };
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

function functionTools(tools: ResponsesRequest['tools']): FunctionTool[] {
  const out: FunctionTool[] = [];
  for (const tool of tools ?? []) {
    if (tool.type !== 'function') continue;
    const fn = tool as ResponsesFunctionTool;
    const spec: FunctionTool['function'] = {
      name: fn.name,
      parameters: fn.parameters ?? { type: 'object', properties: {} },
    };
    if (typeof fn.description === 'string') spec.description = fn.description;
    if (typeof fn.strict === 'boolean') spec.strict = fn.strict;
    out.push({ type: 'function', function: spec });
  }
  return out;
}

function toolChoice(choice: ResponsesRequest['tool_choice']): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && typeof choice.name === 'string')
    return { type: 'function', function: { name: choice.name } };
  throw new BadRequestError({
    message: `tool_choice: only "auto", "none", "required" or a function can be chosen; got type ${JSON.stringify(choice.type)}`,
    param: 'tool_choice',
  });
}
