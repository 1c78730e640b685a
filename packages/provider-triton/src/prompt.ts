import type { ChatMessage } from '@switchyard/core';

/** Input to {@link renderChatPrompt}. */
export interface RenderChatPromptOptions {
  /** Model name without the `triton/` prefix; picks the template. */
  model: string;
  messages: readonly ChatMessage[];
  /** `chat_template_kwargs` of the request, for Jinja templates. */
  chatTemplateKwargs: Record<string, unknown> | undefined;
}

/**
 * The whole conversation as one `text_input` string, rendered with the
 * model's prompt template (LiteLLM's `prompt_factory`).
 */
export function renderChatPrompt(options: RenderChatPromptOptions): string {
  // Interim: LiteLLM's default_pt (contents joined by one space) until the templates package lands.
  return options.messages
    .map(message =>
      typeof message.content === 'string'
        ? message.content
        : Array.isArray(message.content)
          ? message.content
              .map(part => (part.type === 'text' ? (part as { text: string }).text : ''))
              .join('')
          : '',
    )
    .join(' ');
}
