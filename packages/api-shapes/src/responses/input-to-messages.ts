import { BadRequestError, type ChatMessage, type ContentPart } from '@switchyard/core';
import type {
  ResponsesFunctionCallOutputItem,
  ResponsesInputItem,
  ResponsesInputPart,
  ResponsesMessageItem,
} from './types';

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/**
 * Responses input items as chat messages: messages keep their role (their
 * parts become chat parts), consecutive `function_call` items join one
 * assistant message's `tool_calls` (with the assistant text just before
 * them), each `function_call_output` becomes a `tool` message, and
 * `reasoning` items go into the next assistant message's
 * `reasoning_content`. `item_reference` must have been resolved by then.
 */
export function inputItemsToMessages(
  input: string | ResponsesInputItem[] | undefined,
): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const out: ChatMessage[] = [];
  let reasoning = '';
  // The assistant message function calls are added to, while no other item came between.
  let assistant: AssistantMessage | undefined;
  input.forEach((item, index) => {
    const where = `input[${index}]`;
    const type = item.type ?? 'message';
    if (type === 'reasoning' && 'type' in item && item.type === 'reasoning') {
      const texts = item.content?.length ? item.content : (item.summary ?? []);
      reasoning += texts.map(t => t.text).join('\n');
      return;
    }
    if (type === 'function_call' && item.type === 'function_call') {
      if (assistant === undefined) {
        // Empty text, never null (as LiteLLM sends it): chat templates trim it.
        assistant = { role: 'assistant', content: '' };
        out.push(assistant);
      }
      if (reasoning !== '' && assistant.reasoning_content == null) {
        assistant.reasoning_content = reasoning;
        reasoning = '';
      }
      assistant.tool_calls ??= [];
      assistant.tool_calls.push({
        id: item.call_id,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      });
      return;
    }
    assistant = undefined;
    if (type === 'function_call_output' && item.type === 'function_call_output') {
      out.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item) });
      return;
    }
    if (type === 'message') {
      const message = chatMessage(item as ResponsesMessageItem, where);
      if (message.role === 'assistant') {
        if (reasoning !== '') message.reasoning_content = reasoning;
        reasoning = '';
        assistant = message;
      }
      out.push(message);
      return;
    }
    throw new BadRequestError({
      message: `${where}: ${type} items must be resolved before translation`,
      param: `${where}.type`,
    });
  });
  return out;
}

function chatMessage(item: ResponsesMessageItem, where: string): ChatMessage {
  if (typeof item.content === 'string')
    return { role: item.role, content: item.content } as ChatMessage;
  if (item.role === 'assistant') {
    const text = item.content.map((part, p) => assistantText(part, `${where}.content[${p}]`));
    return { role: 'assistant', content: text.join('') };
  }
  const parts = item.content.map((part, p) => inputPart(part, `${where}.content[${p}]`));
  const plain = parts.length === 1 && parts[0]!.type === 'text';
  return {
    role: item.role,
    content: plain ? (parts[0] as { text: string }).text : parts,
  } as ChatMessage;
}

function assistantText(part: ResponsesInputPart, where: string): string {
  if (part.type === 'output_text' || part.type === 'input_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  throw new BadRequestError({
    message: `${where}: an assistant message cannot hold ${part.type}`,
    param: `${where}.type`,
  });
}

function inputPart(part: ResponsesInputPart, where: string): ContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: part.refusal };
    case 'input_image':
      if (typeof part.image_url !== 'string') throw unsupportedFileId(where);
      return {
        type: 'image_url',
        image_url: {
          url: part.image_url,
          ...(part.detail === 'low' || part.detail === 'high' || part.detail === 'auto'
            ? { detail: part.detail }
            : {}),
        },
      };
    case 'input_file':
      if (typeof part.file_data !== 'string') throw unsupportedFileId(where);
      return {
        type: 'file',
        file: {
          file_data: part.file_data,
          ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
        },
      };
  }
}

function unsupportedFileId(where: string): BadRequestError {
  return new BadRequestError({
    message: `${where}: uploaded files (file_id) are not supported; send image_url or file_data`,
    param: `${where}.file_id`,
  });
}

function outputText(item: ResponsesFunctionCallOutputItem): string {
  if (typeof item.output === 'string') return item.output;
  return item.output
    .map(part => (typeof part.text === 'string' ? part.text : ''))
    .filter(text => text !== '')
    .join('\n');
}
