/**
 * @switchyard/prompt-templates — chat messages to prompt strings: LiteLLM's
 * named templates byte for byte, `registerPromptTemplate`, and Hugging Face
 * Jinja chat templates from local tokenizer configs (never the network).
 *
 * @packageDocumentation
 */

export {
  BUNDLED_TOKENIZER_CONFIGS,
  type BundledTokenizerConfig,
  bundledTokenizerConfig,
} from './bundled/index';
export { type HfChatTemplateOptions, hfChatTemplate } from './jinja/hf-chat-template';
export {
  loadTokenizerConfig,
  type NamedChatTemplate,
  type SpecialToken,
  type TokenizerConfig,
} from './jinja/tokenizer-config';
export {
  type PromptTemplateLookupOptions,
  promptTemplateFor,
  type RenderPromptOptions,
  renderPrompt,
} from './prompt-template-for';
export {
  defaultPromptTemplateRegistry,
  PromptTemplateRegistry,
  type PromptTemplateRegistryOptions,
  type RegisterPromptTemplateOptions,
  type RoleTemplateInput,
  registerPromptTemplate,
} from './registry';
export { llama3InstructTemplate, NAMED_TEMPLATES } from './templates/builtin-templates';
export { type CustomPromptSpec, customPrompt, type RoleTemplate } from './templates/custom-prompt';
export {
  alpacaPrompt,
  defaultPrompt,
  falconChatPrompt,
  falconInstructPrompt,
  ibmGranitePrompt,
  llama2ChatPrompt,
  mistralInstructPrompt,
  mptChatPrompt,
  phindCodellamaPrompt,
  type StringTemplateFn,
  wizardcoderPrompt,
} from './templates/named-templates';
export type {
  PromptContentPart,
  PromptMessage,
  PromptTemplate,
  PromptTemplateSource,
  TemplateRenderOptions,
} from './types';
export type { WarningHandler } from './warn-once';
