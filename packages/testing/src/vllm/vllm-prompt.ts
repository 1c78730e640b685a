/**
 * Prompt rendering and counting. Chat messages are rendered with a small
 * fixed template (`<|role|>` markers, like most chat templates), then
 * counted with the shared token rule, so `usage.prompt_tokens` and
 * `/tokenize` always agree.
 */
import { countTokens } from '../shared/text-generator';
import { isRecord } from './field-checks';

/** Renders chat messages the way the emulated model's template does. */
export function renderChatPrompt(messages: unknown[], addGenerationPrompt = true): string {
  let out = '';
  for (const message of messages) {
    if (!isRecord(message)) continue;
    out += `<|${String(message.role)}|>\n${contentText(message)}\n`;
  }
  return addGenerationPrompt ? `${out}<|assistant|>\n` : out;
}

function contentText(message: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (!isRecord(part)) continue;
      if (part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
      else if (typeof part.type === 'string') parts.push(`<${part.type}>`);
    }
  }
  if (Array.isArray(message.tool_calls)) parts.push(JSON.stringify(message.tool_calls));
  return parts.join('\n');
}

/** Prompt tokens of a text prompt: its words, plus `<s>` when special tokens are added. */
export function textPromptTokens(text: string, addSpecialTokens: boolean): number {
  return countTokens(text) + (addSpecialTokens ? 1 : 0);
}

const MEDIA_PART_TYPES = new Set(['image_url', 'input_audio', 'audio_url', 'video_url']);

/** Image, audio and video parts in the messages: each is one placeholder the engine expands. */
export function countMediaParts(messages: unknown[]): number {
  let count = 0;
  for (const message of messages) {
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const part of message.content) {
      if (isRecord(part) && MEDIA_PART_TYPES.has(String(part.type))) count++;
    }
  }
  return count;
}
