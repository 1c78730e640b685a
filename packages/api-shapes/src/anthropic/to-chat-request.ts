import {
  BadRequestError,
  type ChatCompletionRequest,
  type ChatMessage,
  type ContentPart,
  type FunctionTool,
  type ToolCall,
  type ToolChoice,
  thinkingToReasoningEffort,
} from '@switchyard/core';
import type {
  AnthropicContentBlock,
  AnthropicCountTokensRequest,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
} from './types';

/**
 * Anthropic's request as an OpenAI chat completion request: `system` first,
 * each `tool_result` as a `tool` message right after the assistant turn
 * that called it, `tool_use` as `tool_calls`, `thinking` as
 * `reasoning_content`, `thinking.budget_tokens` as a reasoning effort
 * (LiteLLM's thresholds), `stop_sequences` as `stop`, `metadata.user_id`
 * as `user`. A stream asks for the usage chunk, so the answer can report
 * its token counts. Server tools of Anthropic's own (`type` set, such as
 * `web_search_20250305`) cannot run on a self-hosted model and are left
 * out, as LiteLLM does.
 */
export function anthropicToChatRequest(request: AnthropicRequest): ChatCompletionRequest {
  const chat = baseChatRequest(request);
  chat.max_tokens = request.max_tokens;
  if (request.stop_sequences && request.stop_sequences.length > 0)
    chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.top_k !== undefined) (chat as Record<string, unknown>).top_k = request.top_k;
  const user = request.metadata?.user_id;
  if (typeof user === 'string' && user !== '') chat.user = user;
  const effort = thinkingToReasoningEffort(request.thinking);
  if (effort !== undefined) chat.reasoning_effort = effort;
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

/** The chat request a token count is made on: messages, system and tools only. */
export function anthropicCountTokensToChatRequest(
  request: AnthropicCountTokensRequest,
): ChatCompletionRequest {
  return baseChatRequest(request);
}

function baseChatRequest(request: AnthropicCountTokensRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(request.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  convertMessages(request.messages, messages);
  const chat: ChatCompletionRequest = { model: request.model, messages };
  const tools = clientTools(request.tools);
  if (tools.length > 0) {
    chat.tools = tools;
    if (request.tool_choice) applyToolChoice(chat, request.tool_choice);
  } else if (request.tool_choice?.type === 'tool') {
    throw new BadRequestError({
      message: `tool_choice names tool "${request.tool_choice.name}", but no tools were given`,
      param: 'tool_choice',
    });
  }
  return chat;
}

function systemText(system: AnthropicRequest['system']): string | undefined {
  if (system === undefined) return undefined;
  if (typeof system === 'string') return system === '' ? undefined : system;
  const text = system.map(block => block.text).join('\n');
  return text === '' ? undefined : text;
}

function clientTools(tools: AnthropicTool[] | undefined): FunctionTool[] {
  const out: FunctionTool[] = [];
  for (const tool of tools ?? []) {
    if (tool.type !== undefined && tool.type !== 'custom') continue;
    const fn: FunctionTool['function'] = {
      name: tool.name,
      parameters: tool.input_schema ?? { type: 'object', properties: {} },
    };
    if (tool.description !== undefined) fn.description = tool.description;
    out.push({ type: 'function', function: fn });
  }
  return out;
}

function applyToolChoice(chat: ChatCompletionRequest, choice: AnthropicToolChoice): void {
  let mapped: ToolChoice;
  if (choice.type === 'any') mapped = 'required';
  else if (choice.type === 'tool') mapped = { type: 'function', function: { name: choice.name } };
  else mapped = choice.type;
  chat.tool_choice = mapped;
  if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true)
    chat.parallel_tool_calls = false;
}

function convertMessages(input: AnthropicMessageParam[], out: ChatMessage[]): void {
  // Tool calls of the latest assistant turn still waiting for their results.
  let open = new Set<string>();
  input.forEach((message, index) => {
    if (typeof message.content === 'string') {
      open = new Set();
      out.push({ role: message.role, content: message.content } as ChatMessage);
      return;
    }
    if (message.role === 'assistant') {
      open = assistantMessage(message.content, out);
      return;
    }
    userMessage({ blocks: message.content, index, open, out });
    open = new Set();
  });
}

function assistantMessage(blocks: AnthropicContentBlock[], out: ChatMessage[]): Set<string> {
  let text = '';
  let reasoning = '';
  const calls: ToolCall[] = [];
  for (const block of blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning += block.thinking;
    else if (block.type === 'tool_use') {
      calls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      });
    } else if (block.type !== 'redacted_thinking') {
      throw new BadRequestError({
        message: `an assistant message cannot hold a ${block.type} block`,
        param: 'messages',
      });
    }
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: calls.length > 0 ? text || null : text,
  };
  if (calls.length > 0) message.tool_calls = calls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  out.push(message);
  return new Set(calls.map(call => call.id));
}

function userMessage(args: {
  blocks: AnthropicContentBlock[];
  index: number;
  open: Set<string>;
  out: ChatMessage[];
}): void {
  const parts: ContentPart[] = [];
  // Images a tool returned: a tool message holds text only, so they follow as user content.
  const toolImages: ContentPart[] = [];
  args.blocks.forEach((block, b) => {
    const where = `messages[${args.index}].content[${b}]`;
    if (block.type === 'tool_result') {
      if (!args.open.has(block.tool_use_id)) throw unmatchedToolResult(block.tool_use_id, where);
      args.out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolText(block) });
      toolImages.push(...toolResultImages(block));
    } else if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
    else {
      throw new BadRequestError({
        message: `${where}: a user message cannot hold a ${block.type} block`,
        param: `${where}.type`,
      });
    }
  });
  const content = [...toolImages, ...parts];
  if (content.length === 0) return;
  const plain = content.length === 1 && content[0]!.type === 'text';
  args.out.push({
    role: 'user',
    content: plain ? (content[0] as { text: string }).text : content,
  });
}

function unmatchedToolResult(id: string, where: string): BadRequestError {
  return new BadRequestError({
    message: `${where}: unexpected tool_use_id found in tool_result blocks: ${id}. Each tool_result block must have a corresponding tool_use block in the previous message.`,
    param: `${where}.tool_use_id`,
  });
}

function toolText(block: AnthropicToolResultBlock): string {
  const content = block.content;
  let text = '';
  if (typeof content === 'string') text = content;
  else if (content) {
    text = content
      .filter((part): part is AnthropicTextBlock => part.type === 'text')
      .map(part => part.text)
      .join('\n');
  }
  // A chat tool message has no error flag; the model learns of the failure from the text.
  return block.is_error === true ? `Error: ${text}` : text;
}

function toolResultImages(block: AnthropicToolResultBlock): ContentPart[] {
  if (!Array.isArray(block.content)) return [];
  return block.content
    .filter((part): part is AnthropicImageBlock => part.type === 'image')
    .map(imagePart);
}

function imagePart(block: AnthropicImageBlock): ContentPart {
  const source = block.source;
  const url =
    source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}`;
  return { type: 'image_url', image_url: { url } };
}
