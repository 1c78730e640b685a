import type { Template } from '@huggingface/jinja';
import { BadRequestError } from '@switchyard/core';
import { loadJinja } from './jinja-module';
import { runTemplate } from './run-template';

/** A parsed chat template and what was learnt about it. */
export interface CompiledChatTemplate {
  readonly template: Template;
  /** Whether it renders a lone system message; probed on first use. */
  supportsSystem: boolean | undefined;
}

// Parsing is the expensive part of a Jinja render; templates are few and
// long-lived, so the cache is keyed by the template text and never evicted.
const cache = new Map<string, CompiledChatTemplate>();

/**
 * Parses a chat template once and caches it by its text; a syntax error is a
 * `BadRequestError` naming the template.
 */
export function compileChatTemplate(source: string, name: string): CompiledChatTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  let template: Template;
  try {
    template = new (loadJinja().Template)(source);
  } catch (error) {
    throw new BadRequestError({
      message: `Prompt template "${name}": the chat template does not compile: ${(error as Error).message}`,
      param: 'chat_template',
      cause: error,
    });
  }
  const compiled: CompiledChatTemplate = { template, supportsSystem: undefined };
  cache.set(source, compiled);
  return compiled;
}

/**
 * LiteLLM's `_is_system_in_template`: a template that cannot render
 * `[{"role":"system","content":"test"}]` has no system role, so system
 * messages are sent to it as user messages. Probed once per template.
 */
export function supportsSystem(compiled: CompiledChatTemplate): boolean {
  if (compiled.supportsSystem === undefined) {
    try {
      runTemplate(compiled.template, {
        messages: [{ role: 'system', content: 'test' }],
        bos_token: '<bos>',
        eos_token: '<eos>',
      });
      compiled.supportsSystem = true;
    } catch {
      compiled.supportsSystem = false;
    }
  }
  return compiled.supportsSystem;
}
