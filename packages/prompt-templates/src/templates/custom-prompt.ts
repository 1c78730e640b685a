import { checkMessages, contentText } from '../message-content';
import type { PromptMessage } from '../types';

/** What goes around one role's content. */
export interface RoleTemplate {
  /** Written before the content. */
  preMessage?: string;
  /** Written after the content. */
  postMessage?: string;
}

/** The parts of a role-based template, as LiteLLM's `custom_prompt` takes them. */
export interface CustomPromptSpec {
  /** Role → text around its content; roles not listed get none. */
  roles: Readonly<Record<string, RoleTemplate>>;
  /** Written after the BOS token, once, at the start. */
  initialPromptValue?: string;
  /** Written once at the end. */
  finalPromptValue?: string;
  /** Opens the prompt and re-opens it before a `system`/`human` message after an assistant turn. */
  bosToken?: string;
  /** Written after every assistant message. */
  eosToken?: string;
}

/**
 * LiteLLM's `custom_prompt`, byte for byte: `bos + initial`, then per message
 * `pre + content + post`, the BOS token re-opened before a `system` or
 * `human` message (never before `user` — LiteLLM's quirk, kept) once an
 * assistant turn closed it, the EOS token after every assistant message, and
 * `final` at the end. An assistant message with `null` content (tool calls
 * only) writes neither pre nor post text, as LiteLLM does.
 */
export function customPrompt(
  spec: CustomPromptSpec,
  messages: readonly PromptMessage[],
  templateName = 'custom',
): string {
  const checked = checkMessages(templateName, messages);
  const bos = spec.bosToken ?? '';
  const eos = spec.eosToken ?? '';
  let prompt = bos + (spec.initialPromptValue ?? '');
  let bosOpen = true;
  for (let index = 0; index < checked.length; index++) {
    const message = checked[index]!;
    const role = message.role;
    if ((role === 'system' || role === 'human') && !bosOpen) {
      prompt += bos;
      bosOpen = true;
    }
    const text = contentText(templateName, message, index);
    if (text !== undefined) {
      const entry = Object.hasOwn(spec.roles, role) ? spec.roles[role] : undefined;
      prompt += (entry?.preMessage ?? '') + text + (entry?.postMessage ?? '');
    }
    if (role === 'assistant') {
      prompt += eos;
      bosOpen = false;
    }
  }
  return prompt + (spec.finalPromptValue ?? '');
}
