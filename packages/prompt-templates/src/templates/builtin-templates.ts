import { LLAMA_3_INSTRUCT, LLAMAGUARD_7B } from '../bundled/index';
import { hfChatTemplate } from '../jinja/hf-chat-template';
import type { PromptTemplate, PromptTemplateSource } from '../types';
import {
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
} from './named-templates';

function stringTemplate(
  name: string,
  fn: StringTemplateFn,
  source: PromptTemplateSource = 'builtin',
): PromptTemplate {
  return { name, kind: 'string', source, render: messages => fn(messages) };
}

/**
 * LiteLLM's named string templates, by name. `codellama-instruct` is
 * `llama-2-chat` (LiteLLM uses the same function); `mistral-instruct` and
 * `ibm-granite` are only reached through LiteLLM's Bedrock/watsonx branches
 * there, so model matching never picks them here — use them by name.
 */
export const NAMED_TEMPLATES: Readonly<Record<string, PromptTemplate>> = {
  default: stringTemplate('default', defaultPrompt),
  'llama-2-chat': stringTemplate('llama-2-chat', llama2ChatPrompt),
  'codellama-instruct': stringTemplate('codellama-instruct', llama2ChatPrompt),
  'falcon-instruct': stringTemplate('falcon-instruct', falconInstructPrompt),
  'falcon-chat': stringTemplate('falcon-chat', falconChatPrompt),
  'mpt-chat': stringTemplate('mpt-chat', mptChatPrompt),
  wizardcoder: stringTemplate('wizardcoder', wizardcoderPrompt),
  'phind-codellama': stringTemplate('phind-codellama', phindCodellamaPrompt),
  alpaca: stringTemplate('alpaca', alpacaPrompt),
  'mistral-instruct': stringTemplate('mistral-instruct', mistralInstructPrompt),
  'ibm-granite': stringTemplate('ibm-granite', ibmGranitePrompt),
};

/** The default template as chosen when nothing matched (source `fallback`). */
export const FALLBACK_TEMPLATE: PromptTemplate = stringTemplate(
  'default',
  defaultPrompt,
  'fallback',
);

let llama3: PromptTemplate | undefined;
let llamaGuard: PromptTemplate | undefined;

// Built on first use: compiling a Jinja template costs more than a module import should.
function llama3Template(): PromptTemplate {
  llama3 ??= hfChatTemplate({
    name: 'llama-3-instruct',
    tokenizerConfig: LLAMA_3_INSTRUCT,
    source: 'builtin',
  });
  return llama3;
}

function llamaGuardTemplate(): PromptTemplate {
  llamaGuard ??= hfChatTemplate({
    name: 'llamaguard-7b',
    tokenizerConfig: LLAMAGUARD_7B,
    source: 'builtin',
  });
  return llamaGuard;
}

/** `llama-3-instruct`, LiteLLM's bundled Meta-Llama-3-8B-Instruct chat template. */
export function llama3InstructTemplate(): PromptTemplate {
  return llama3Template();
}

/** What LiteLLM's generic `prompt_factory` chain (rules 1–10) decides for a model. */
export type BuiltinMatch =
  | { kind: 'template'; template: PromptTemplate }
  /** A family LiteLLM recognises but has no template for (it returns `None`). */
  | { kind: 'none'; family: string }
  /** Not recognised: go on to the model's own chat template. */
  | { kind: 'unmatched' };

const T = NAMED_TEMPLATES;
const hit = (template: PromptTemplate | undefined): BuiltinMatch => ({
  kind: 'template',
  template: template!,
});

/**
 * Rules 1–10 of LiteLLM's `prompt_factory` for a model sent with no provider
 * branch (vLLM, Triton): lower-cased substring checks, first match wins.
 */
export function matchBuiltin(model: string): BuiltinMatch {
  const m = model.toLowerCase();
  if (m.includes('meta-llama/llama-2') && m.includes('chat')) return hit(T['llama-2-chat']);
  if ((m.includes('meta-llama/llama-3') || m.includes('meta-llama-3')) && m.includes('instruct')) {
    return hit(llama3Template());
  }
  if (m.includes('tiiuae/falcon')) {
    // LiteLLM compares the lower-cased name with "tiiuae/falcon-180B-chat",
    // which can never be equal, so falcon-chat is unreachable; kept faithful.
    if (m === 'tiiuae/falcon-180B-chat') return hit(T['falcon-chat']);
    if (m.includes('instruct')) return hit(T['falcon-instruct']);
    return { kind: 'none', family: 'tiiuae/falcon (not instruct)' };
  }
  if (m.includes('mosaicml/mpt')) {
    if (m.includes('chat')) return hit(T['mpt-chat']);
    return { kind: 'none', family: 'mosaicml/mpt (not chat)' };
  }
  if (m.includes('codellama/codellama') || m.includes('togethercomputer/codellama')) {
    if (m.includes('instruct')) return hit(T['codellama-instruct']);
    return { kind: 'none', family: 'codellama (not instruct)' };
  }
  if (m.includes('wizardlm/wizardcoder')) return hit(T.wizardcoder);
  if (m.includes('phind/phind-codellama')) return hit(T['phind-codellama']);
  if (m.includes('togethercomputer/llama-2') && (m.includes('instruct') || m.includes('chat'))) {
    return hit(T['llama-2-chat']);
  }
  if (
    m.includes('gryphe/mythomax-l2-13b') ||
    m.includes('gryphe/mythomix-l2-13b') ||
    m.includes('gryphe/mythologic-l2-13b')
  ) {
    return hit(T.alpaca);
  }
  if (m.includes('meta-llama/llamaguard-7b')) return hit(llamaGuardTemplate());
  return { kind: 'unmatched' };
}
