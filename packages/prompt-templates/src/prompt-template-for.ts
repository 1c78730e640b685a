import {
  BUNDLED_TOKENIZER_CONFIGS,
  type BundledTokenizerConfig,
  bundledTokenizerConfig,
} from './bundled/index';
import { hfChatTemplate } from './jinja/hf-chat-template';
import { defaultPromptTemplateRegistry, type PromptTemplateRegistry } from './registry';
import { FALLBACK_TEMPLATE, matchBuiltin, NAMED_TEMPLATES } from './templates/builtin-templates';
import { matchModelFamily } from './templates/model-families';
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
 * per model. Between the bundled templates and the default, tolerant family
 * matching catches the names people write (`llama-3-8b-instruct`, `llama3`,
 * `mistral:7b-instruct`; see `model-families.ts`). A family LiteLLM
 * recognises but has no template for (falcon not instruct, mpt not chat,
 * codellama not instruct) also gets the default. Never touches the network.
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
      noTemplateWarning(model, `LiteLLM has none for ${builtin.family}`),
      options.onWarning,
    );
    return FALLBACK_TEMPLATE;
  }
  const bundled = bundledTokenizerConfig(model);
  if (bundled) return bundledTemplate(bundled);
  const family = matchModelFamily(model);
  if (family) {
    if ('named' in family) return NAMED_TEMPLATES[family.named]!;
    const entry = BUNDLED_TOKENIZER_CONFIGS.find(c => c.id === family.bundled);
    if (entry) return bundledTemplate(entry);
  }
  registry.warnOnce(
    model,
    noTemplateWarning(model, 'no LiteLLM rule, bundled template or model family matches its name'),
    options.onWarning,
  );
  return FALLBACK_TEMPLATE;
}

function bundledTemplate(bundled: BundledTokenizerConfig): PromptTemplate {
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

/** The warning for a model nothing matched: what happens, and how to give it its template. */
function noTemplateWarning(model: string, why: string): string {
  return (
    `No prompt template for model "${model}" (${why}); ` +
    'using the default template (message contents joined by spaces, roles lost). ' +
    `Register the model's own chat template with registerPromptTemplate({ model: '${model}', tokenizerConfig: '/path/to/tokenizer_config.json' }), ` +
    `or a role template with registerPromptTemplate({ model: '${model}', roles: { user: { pre_message: '…', post_message: '…' }, … } }).`
  );
}

/** Renders `messages` into a prompt string with the template {@link promptTemplateFor} picks for `model`. */
export function renderPrompt(
  model: string,
  messages: readonly PromptMessage[],
  options: RenderPromptOptions = {},
): string {
  return promptTemplateFor(model, options).render(messages, options);
}
