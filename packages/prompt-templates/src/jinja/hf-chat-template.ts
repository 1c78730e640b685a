import { BadRequestError } from '@switchyard/core';
import { checkMessages, contentText } from '../message-content';
import type {
  PromptMessage,
  PromptTemplate,
  PromptTemplateSource,
  TemplateRenderOptions,
} from '../types';
import { type CompiledChatTemplate, compileChatTemplate, supportsSystem } from './compile-template';
import { runTemplate, TemplateRaisedError } from './run-template';
import {
  type ResolvedChatTemplate,
  resolveChatTemplate,
  type TokenizerConfig,
} from './tokenizer-config';

/** How to build a Jinja-backed {@link PromptTemplate}. */
export interface HfChatTemplateOptions {
  /** The descriptor's name, used in errors. */
  name: string;
  /** A `tokenizer_config.json` object (`chat_template`, `bos_token`, `eos_token`). */
  tokenizerConfig: TokenizerConfig;
  /** Where it came from; `registered` unless given. */
  source?: PromptTemplateSource;
}

const ALTERNATION = /conversation roles must alternate/i;

/**
 * A prompt template backed by a Hugging Face chat template, rendered the way
 * LiteLLM's `hf_chat_template` does: `bos_token`, `eos_token`, `messages` and
 * `add_generation_prompt` (default `true`) in the context, plus any
 * `chatTemplateKwargs`; system messages relabelled `user` when the template
 * has no system role; and on a "conversation roles must alternate" error, an
 * empty message inserted between same-role neighbours and one re-render.
 * The template is parsed at most once per distinct text.
 */
export function hfChatTemplate(options: HfChatTemplateOptions): PromptTemplate {
  const { name } = options;
  const resolved = resolveChatTemplate(options.tokenizerConfig, name);
  // Compile eagerly so a syntax error surfaces at registration, not mid-request.
  compileChatTemplate(resolved.template, name);
  if (resolved.toolUseTemplate !== undefined) compileChatTemplate(resolved.toolUseTemplate, name);
  return {
    name,
    kind: 'jinja',
    source: options.source ?? 'registered',
    render: (messages, renderOptions) => renderHf(name, resolved, messages, renderOptions),
  };
}

function renderHf(
  name: string,
  resolved: ResolvedChatTemplate,
  messages: readonly PromptMessage[],
  options: TemplateRenderOptions = {},
): string {
  const kwargs = options.chatTemplateKwargs ?? {};
  const source =
    resolved.toolUseTemplate !== undefined && kwargs.tools != null
      ? resolved.toolUseTemplate
      : resolved.template;
  const compiled = compileChatTemplate(source, name);
  let prepared = prepareMessages(name, messages);
  if (!supportsSystem(compiled)) {
    prepared = prepared.map(message =>
      message.role === 'system' ? { role: 'user', content: message.content } : message,
    );
  }
  const context: Record<string, unknown> = {
    ...kwargs,
    bos_token: resolved.bosToken,
    eos_token: resolved.eosToken,
    add_generation_prompt: options.addGenerationPrompt ?? kwargs.add_generation_prompt ?? true,
  };
  try {
    return runTemplate(compiled.template, { ...context, messages: prepared });
  } catch (error) {
    if (!(error instanceof TemplateRaisedError) || !ALTERNATION.test(error.message)) {
      throw renderError(name, compiled, context, prepared, error);
    }
  }
  // LiteLLM's repair re-renders without add_generation_prompt; an explicit choice still holds.
  const repaired = alternate(prepared);
  const retryContext = { ...context };
  if (options.addGenerationPrompt === undefined && kwargs.add_generation_prompt === undefined) {
    delete retryContext.add_generation_prompt;
  }
  try {
    return runTemplate(compiled.template, { ...retryContext, messages: repaired });
  } catch (error) {
    throw renderError(name, compiled, retryContext, repaired, error, true);
  }
}

/** Validates the messages and flattens list content to its text (the template sees a string). */
function prepareMessages(name: string, messages: readonly PromptMessage[]): PromptMessage[] {
  const checked = checkMessages(name, messages);
  return checked.map((message, index) => {
    const text = contentText(name, message, index);
    if (typeof message.content === 'string') return message;
    return { ...message, content: text ?? null };
  });
}

/** Inserts an empty `assistant` after a `user` followed by `user`, and an empty `user` between any other equal neighbours. */
function alternate(messages: readonly PromptMessage[]): PromptMessage[] {
  const result: PromptMessage[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    result.push(message);
    const next = messages[index + 1];
    if (next && next.role === message.role) {
      result.push({ role: message.role === 'user' ? 'assistant' : 'user', content: '' });
    }
  }
  return result;
}

/**
 * Turns a render failure into a `BadRequestError`. To name the message at
 * fault it re-renders growing prefixes of the conversation until one fails —
 * error path only, so the cost does not matter.
 */
function renderError(
  name: string,
  compiled: CompiledChatTemplate,
  context: Record<string, unknown>,
  messages: readonly PromptMessage[],
  error: unknown,
  repaired = false,
): BadRequestError {
  const reason = error instanceof Error ? error.message : String(error);
  const what =
    error instanceof TemplateRaisedError ? 'the chat template raised' : 'the chat template failed';
  let index: number | undefined;
  for (let end = 1; end <= messages.length && index === undefined; end++) {
    try {
      runTemplate(compiled.template, { ...context, messages: messages.slice(0, end) });
    } catch {
      index = end - 1;
    }
  }
  // After the repair the indices are those of the repaired list; say so.
  const where =
    index === undefined
      ? ''
      : ` at messages[${index}]${repaired ? ' of the alternation-repaired list' : ''}`;
  return new BadRequestError({
    message: `Prompt template "${name}": ${what}${where}: ${reason}`,
    param: 'messages',
    cause: error,
  });
}
