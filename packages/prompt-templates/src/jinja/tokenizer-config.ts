import { readFileSync } from 'node:fs';
import { BadRequestError } from '@switchyard/core';

/** A special token as `tokenizer_config.json` writes it: a string or `{"content": …}`. */
export type SpecialToken = string | { content: string; [field: string]: unknown } | null;

/** A named chat template (`tokenizer_config.json` may hold a list of them). */
export interface NamedChatTemplate {
  name: string;
  template: string;
}

/** The fields of a Hugging Face `tokenizer_config.json` this package reads. */
export interface TokenizerConfig {
  /** The Jinja chat template, or a list of named ones (`default`, `tool_use`, …). */
  chat_template?: string | readonly NamedChatTemplate[];
  bos_token?: SpecialToken;
  eos_token?: SpecialToken;
  [field: string]: unknown;
}

/** A tokenizer config reduced to what a render needs. */
export interface ResolvedChatTemplate {
  /** The default template. */
  template: string;
  /** The `tool_use` template, when the config names one. */
  toolUseTemplate?: string;
  bosToken: string;
  eosToken: string;
}

/**
 * Reads a `tokenizer_config.json` from disk. Synchronous on purpose: it runs
 * once, when a template is registered, never while a request is rendered.
 */
export function loadTokenizerConfig(path: string): TokenizerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BadRequestError({
      message: `tokenizer_config: cannot read ${path}: ${(error as Error).message}`,
      param: 'tokenizer_config',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError({
      message: `tokenizer_config: ${path} is not valid JSON: ${(error as Error).message}`,
      param: 'tokenizer_config',
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError({
      message: `tokenizer_config: ${path} must hold a JSON object`,
      param: 'tokenizer_config',
    });
  }
  return parsed as TokenizerConfig;
}

/** Checks a config and pulls out the template and the BOS/EOS strings. */
export function resolveChatTemplate(config: TokenizerConfig, owner: string): ResolvedChatTemplate {
  const raw = config.chat_template;
  let template: string | undefined;
  let toolUseTemplate: string | undefined;
  if (typeof raw === 'string') {
    template = raw;
  } else if (Array.isArray(raw)) {
    for (const entry of raw as unknown[]) {
      const named = entry as Partial<NamedChatTemplate> | null;
      if (typeof named?.name !== 'string' || typeof named.template !== 'string') {
        throw badConfig(
          owner,
          'chat_template entries must be {"name": string, "template": string}',
        );
      }
      if (named.name === 'default') template = named.template;
      if (named.name === 'tool_use') toolUseTemplate = named.template;
    }
  }
  if (template === undefined) {
    throw badConfig(
      owner,
      'chat_template must be a string or a list holding a "default" template (no chat template found)',
    );
  }
  return {
    template,
    ...(toolUseTemplate === undefined ? {} : { toolUseTemplate }),
    bosToken: tokenText(config.bos_token, 'bos_token', owner),
    eosToken: tokenText(config.eos_token, 'eos_token', owner),
  };
}

function tokenText(token: unknown, field: string, owner: string): string {
  if (token === undefined || token === null) return '';
  if (typeof token === 'string') return token;
  if (typeof token === 'object' && typeof (token as { content?: unknown }).content === 'string') {
    return (token as { content: string }).content;
  }
  throw badConfig(owner, `${field} must be a string or {"content": string}`);
}

function badConfig(owner: string, problem: string): BadRequestError {
  return new BadRequestError({
    message: `Prompt template "${owner}": tokenizer_config.${problem}`,
    param: 'tokenizer_config',
  });
}
