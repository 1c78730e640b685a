import { BadRequestError, parseModel } from '@switchyard/core';
import { hfChatTemplate } from './jinja/hf-chat-template';
import { loadTokenizerConfig, type TokenizerConfig } from './jinja/tokenizer-config';
import { type CustomPromptSpec, customPrompt, type RoleTemplate } from './templates/custom-prompt';
import type { PromptTemplate } from './types';
import { defaultWarningHandler, type WarningHandler, WarnOnce } from './warn-once';

/** One role's text around its content; LiteLLM's snake_case keys are accepted too. */
export interface RoleTemplateInput extends RoleTemplate {
  pre_message?: string;
  post_message?: string;
}

/**
 * A template to register for a model: role-based (LiteLLM's `custom_prompt`)
 * or, with `tokenizerConfig`, a Hugging Face chat template (then the role
 * fields are ignored, as LiteLLM ignores them). Every camelCase field has its
 * LiteLLM snake_case twin.
 */
export interface RegisterPromptTemplateOptions {
  /** The model string as callers will pass it; its provider-stripped name is registered too. */
  model: string;
  /** `system` / `user` / `assistant` / `tool` / … → text around that role's content. */
  roles?: Readonly<Record<string, RoleTemplateInput>>;
  initialPromptValue?: string;
  finalPromptValue?: string;
  bosToken?: string;
  eosToken?: string;
  /** A `tokenizer_config.json` object, or the path of one (read now, once). */
  tokenizerConfig?: TokenizerConfig | string;
  initial_prompt_value?: string;
  final_prompt_value?: string;
  bos_token?: string;
  eos_token?: string;
  tokenizer_config?: TokenizerConfig | string;
}

/** Options for a {@link PromptTemplateRegistry}. */
export interface PromptTemplateRegistryOptions {
  /**
   * Consulted when this registry has no template for a model. Defaults to the
   * global registry; pass `null` for a registry that stands alone.
   */
  parent?: PromptTemplateRegistry | null;
  /** Where warnings go; defaults to `process.emitWarning`. */
  onWarning?: WarningHandler;
}

/**
 * Templates registered for models. An SDK instance owns one; it falls back
 * to the global registry that {@link registerPromptTemplate} fills.
 */
export class PromptTemplateRegistry {
  readonly #templates = new Map<string, PromptTemplate>();
  readonly #parent: PromptTemplateRegistry | undefined;
  readonly #warned = new WarnOnce();
  /** Where this registry's warnings go. */
  readonly onWarning: WarningHandler;

  constructor(options: PromptTemplateRegistryOptions = {}) {
    this.#parent =
      options.parent === undefined ? globalRegistryOrUndefined() : (options.parent ?? undefined);
    this.onWarning = options.onWarning ?? defaultWarningHandler;
  }

  /**
   * Registers a template under `model` and under its provider-stripped name
   * (`hosted_vllm/x` and `triton/x` both register `x`); returns it.
   */
  register(options: RegisterPromptTemplateOptions): PromptTemplate {
    const template = buildTemplate(options);
    for (const key of keysFor(options.model)) this.#templates.set(key, template);
    return template;
  }

  /** Removes what {@link register} added for `model`; returns whether anything was removed. */
  unregister(model: string): boolean {
    let removed = false;
    for (const key of keysFor(model)) removed = this.#templates.delete(key) || removed;
    return removed;
  }

  /** The template registered for `model` here or in a parent: the exact string first, then the provider-stripped name. */
  lookup(model: string): PromptTemplate | undefined {
    const own = this.#templates.get(model);
    if (own) return own;
    const stripped = strippedName(model);
    const found = stripped === undefined ? undefined : this.#templates.get(stripped);
    return found ?? this.#parent?.lookup(model);
  }

  /** Emits `message` through `handler` (or this registry's) the first time `key` is seen. */
  warnOnce(key: string, message: string, handler: WarningHandler = this.onWarning): boolean {
    return this.#warned.warn(key, message, handler);
  }
}

function strippedName(model: string): string | undefined {
  try {
    return parseModel(model).model;
  } catch {
    return undefined; // no provider prefix to strip
  }
}

function keysFor(model: string): string[] {
  const stripped = strippedName(model);
  return stripped === undefined || stripped === model ? [model] : [model, stripped];
}

function buildTemplate(options: RegisterPromptTemplateOptions): PromptTemplate {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', 'an object with a "model"', options);
  }
  const { model } = options;
  if (typeof model !== 'string' || model.length === 0)
    throw invalid('model', 'a non-empty string', model);
  const tokenizer = options.tokenizerConfig ?? options.tokenizer_config;
  if (tokenizer !== undefined) {
    const config = typeof tokenizer === 'string' ? loadTokenizerConfig(tokenizer) : tokenizer;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw invalid('tokenizerConfig', 'a tokenizer_config object or a file path', tokenizer);
    }
    return hfChatTemplate({ name: `hf:${model}`, tokenizerConfig: config, source: 'registered' });
  }
  const spec: CustomPromptSpec = {
    roles: normaliseRoles(options.roles),
    initialPromptValue: text(
      'initialPromptValue',
      options.initialPromptValue ?? options.initial_prompt_value,
    ),
    finalPromptValue: text(
      'finalPromptValue',
      options.finalPromptValue ?? options.final_prompt_value,
    ),
    bosToken: text('bosToken', options.bosToken ?? options.bos_token),
    eosToken: text('eosToken', options.eosToken ?? options.eos_token),
  };
  const name = `custom:${model}`;
  return {
    name,
    kind: 'string',
    source: 'registered',
    render: messages => customPrompt(spec, messages, name),
  };
}

function normaliseRoles(roles: unknown): Record<string, RoleTemplate> {
  if (roles === undefined || roles === null) return {};
  if (typeof roles !== 'object' || Array.isArray(roles))
    throw invalid('roles', 'an object keyed by role', roles);
  const result: Record<string, RoleTemplate> = {};
  for (const [role, entry] of Object.entries(roles as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw invalid(`roles.${role}`, 'an object with preMessage / postMessage', entry);
    }
    const input = entry as RoleTemplateInput;
    result[role] = {
      preMessage: text(`roles.${role}.preMessage`, input.preMessage ?? input.pre_message),
      postMessage: text(`roles.${role}.postMessage`, input.postMessage ?? input.post_message),
    };
  }
  return result;
}

function text(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(field, 'a string', value);
  return value;
}

function invalid(field: string, expected: string, got: unknown): BadRequestError {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got;
  return new BadRequestError({
    message: `registerPromptTemplate: ${field} must be ${expected}, got ${kind}`,
    param: field,
  });
}

let globalRegistry: PromptTemplateRegistry | undefined;

function globalRegistryOrUndefined(): PromptTemplateRegistry | undefined {
  return globalRegistry;
}

/** The process-wide registry: what {@link registerPromptTemplate} fills and every other registry falls back to. */
export const defaultPromptTemplateRegistry: PromptTemplateRegistry = new PromptTemplateRegistry({
  parent: null,
});
globalRegistry = defaultPromptTemplateRegistry;

/**
 * Registers a template in the global registry, as LiteLLM's
 * `register_prompt_template` does; it wins over the built-in templates.
 */
export function registerPromptTemplate(options: RegisterPromptTemplateOptions): PromptTemplate {
  return defaultPromptTemplateRegistry.register(options);
}
