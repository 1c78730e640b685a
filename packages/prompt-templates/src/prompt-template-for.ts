import { bundledTokenizerConfig } from './bundled/index';
import { hfChatTemplate } from './jinja/hf-chat-template';
import { defaultPromptTemplateRegistry, type PromptTemplateRegistry } from './registry';
import { FALLBACK_TEMPLATE, matchBuiltin } from './templates/builtin-templates';
import type { PromptMessage, PromptTemplate, TemplateRenderOptions } from './types';
import type { WarningHandler } from './warn-once';

/** Where to look for a model's template. */
export interface PromptTemplateLookupOptions {
  /** Registered templates to consult first; defaults to the global registry. */
  registry?: PromptTemplateRegistry;
  /** Overrides the registry's warning handler. */
  onWarning?: WarningHandler;
}

/** {@link renderPrompt}'s options: the lookup plus the render. */
export interface RenderPromptOptions extends PromptTemplateLookupOptions, TemplateRenderOptions {}

const bundledTemplates = new Map<string, PromptTemplate>();

/**
 * The template for a model, in this order: a registered template (the model
 * string, then its provider-stripped name); LiteLLM's `prompt_factory` rules
 * (lower-cased substring checks: llama-2 chat, llama-3 instruct, falcon
 * instruct, mpt chat, codellama instruct, wizardcoder, phind-codellama,
 * togethercomputer llama-2, the MythoMax family, LlamaGuard); a bundled
 * Hugging Face chat template; else the default template, with a warning once
 * per model. A family LiteLLM recognises but has no template for (falcon not
 * instruct, mpt not chat, codellama not instruct) also gets the default.
 * Never touches the network.
 */
export function promptTemplateFor(
  model: string,
  options: PromptTemplateLookupOptions = {},
): PromptTemplate {
  const registry = options.registry ?? defaultPromptTemplateRegistry;
  const registered = registry.lookup(model);
  if (registered) return registered;
  const builtin = matchBuiltin(model);
  if (builtin.kind === 'template') return builtin.template;
  if (builtin.kind === 'none') {
    registry.warnOnce(
      model,
      `No prompt template for model "${model}": LiteLLM has none for ${builtin.family}; ` +
        'using the default template (contents joined by spaces). Register one with registerPromptTemplate.',
      options.onWarning,
    );
    return FALLBACK_TEMPLATE;
  }
  const bundled = bundledTokenizerConfig(model);
  if (bundled) {
    let template = bundledTemplates.get(bundled.id);
    if (!template) {
      template = hfChatTemplate({
        name: `hf:${bundled.id}`,
        tokenizerConfig: bundled.config,
        source: 'bundled',
      });
      bundledTemplates.set(bundled.id, template);
    }
    return template;
  }
  registry.warnOnce(
    model,
    `No prompt template known for model "${model}"; using the default template (contents joined by spaces). ` +
      'Register its tokenizer_config.json (or a role template) with registerPromptTemplate.',
    options.onWarning,
  );
  return FALLBACK_TEMPLATE;
}

/** Renders `messages` into a prompt string with the template {@link promptTemplateFor} picks for `model`. */
export function renderPrompt(
  model: string,
  messages: readonly PromptMessage[],
  options: RenderPromptOptions = {},
): string {
  return promptTemplateFor(model, options).render(messages, options);
}
