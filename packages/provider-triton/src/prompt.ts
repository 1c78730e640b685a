import type { ChatMessage } from '@switchyard/core';
import {
  type PromptMessage,
  type PromptTemplateRegistry,
  renderPrompt,
} from '@switchyard/prompt-templates';

/** Input to {@link renderChatPrompt}. */
export interface RenderChatPromptOptions {
  /** Model name without the `triton/` prefix; picks the template. */
  model: string;
  messages: readonly ChatMessage[];
  /** `chat_template_kwargs` of the request, for Jinja templates. */
  chatTemplateKwargs: Record<string, unknown> | undefined;
  /** Registered templates to consult first; the global registry when absent. */
  registry: PromptTemplateRegistry | undefined;
}

/**
 * The whole conversation as one `text_input` string, rendered with the
 * model's prompt template (LiteLLM's `prompt_factory` rules, then templates
 * registered with `registerPromptTemplate` — which LiteLLM's Triton path
 * ignores — then bundled Hugging Face templates, then the default).
 */
export function renderChatPrompt(options: RenderChatPromptOptions): string {
  return renderPrompt(options.model, options.messages as readonly PromptMessage[], {
    ...(options.chatTemplateKwargs ? { chatTemplateKwargs: options.chatTemplateKwargs } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
}
