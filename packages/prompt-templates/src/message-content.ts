import { BadRequestError } from '@switchyard/core';
import type { PromptMessage } from './types';

/**
 * The error every template raises for malformed input: it names the template
 * and the message so a caller can find the culprit in a long conversation.
 */
export function badMessage(template: string, index: number, problem: string): BadRequestError {
  return new BadRequestError({
    message: `Prompt template "${template}": messages[${index}]${problem}`,
    param: 'messages',
  });
}

/** Checks the list itself and each message's `role`; returns the messages typed. */
export function checkMessages(template: string, messages: unknown): readonly PromptMessage[] {
  if (!Array.isArray(messages)) {
    throw new BadRequestError({
      message: `Prompt template "${template}": messages must be an array of chat messages, got ${describe(messages)}`,
      param: 'messages',
    });
  }
  messages.forEach((message, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw badMessage(template, index, ` must be an object, got ${describe(message)}`);
    }
    const role = (message as { role?: unknown }).role;
    if (typeof role !== 'string' || role.length === 0) {
      throw badMessage(template, index, `.role must be a non-empty string, got ${describe(role)}`);
    }
  });
  return messages as readonly PromptMessage[];
}

/**
 * The text of a message's content, as LiteLLM's `custom_prompt` reads it: a
 * string as is; for a list, the concatenation of every part's string `text`
 * (image, audio, file and video parts carry no text and are dropped — a
 * prompt string cannot hold them). Returns `undefined` for `null` content,
 * which OpenAI allows on an assistant message that only calls tools; a
 * missing or null `content` on any other role is an error.
 */
export function contentText(
  template: string,
  message: PromptMessage,
  index: number,
): string | undefined {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    let text = '';
    content.forEach((part: unknown, partIndex: number) => {
      if (typeof part !== 'object' || part === null || Array.isArray(part)) {
        throw badMessage(
          template,
          index,
          `.content[${partIndex}] must be a content part object, got ${describe(part)}`,
        );
      }
      const value = (part as { text?: unknown }).text;
      if (typeof value === 'string') text += value;
    });
    return text;
  }
  if (content === null || content === undefined) {
    if (message.role === 'assistant') return undefined;
    throw badMessage(
      template,
      index,
      `.content is required for role "${message.role}" (expected a string or an array of content parts)`,
    );
  }
  throw badMessage(
    template,
    index,
    `.content must be a string, an array of content parts or null, got ${describe(content)}`,
  );
}

/** Checks every message and returns each one's text (`null` content → `""`). */
export function contentTexts(template: string, messages: unknown): string[] {
  const checked = checkMessages(template, messages);
  return checked.map((message, index) => contentText(template, message, index) ?? '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
