import type { TokenizerConfig } from '../jinja/tokenizer-config';
import { DEEPSEEK_R1 } from './deepseek-r1';
import { LLAMA_3_1_INSTRUCT, LLAMA_3_2_INSTRUCT, LLAMA_3_INSTRUCT } from './llama-3';
import { LLAMAGUARD_7B } from './llamaguard';
import { MISTRAL_INSTRUCT_V0_1, MISTRAL_INSTRUCT_V0_2, MISTRAL_INSTRUCT_V0_3 } from './mistral';
import { QWEN_2_5_INSTRUCT } from './qwen';

export { LLAMA_3_INSTRUCT, LLAMAGUARD_7B };

/** A tokenizer config shipped with this package, and the model names it serves. */
export interface BundledTokenizerConfig {
  /** The Hugging Face repository id it was written from. */
  id: string;
  config: TokenizerConfig;
  /**
   * Matched against the lower-cased model name after its last `/`, so
   * `hosted_vllm/Qwen2.5-7B-Instruct-AWQ` finds Qwen 2.5 by its file name.
   */
  match: RegExp;
}

/** Every bundled config, most specific first. */
export const BUNDLED_TOKENIZER_CONFIGS: readonly BundledTokenizerConfig[] = [
  {
    id: 'meta-llama/Meta-Llama-3-8B-Instruct',
    config: LLAMA_3_INSTRUCT,
    // The Hugging Face name; other spellings of the family ("llama-3-8b-instruct",
    // "llama3") are caught by the tolerant family matching of model-families.ts.
    match: /^meta-llama-3-(8b|70b)-instruct/,
  },
  {
    id: 'meta-llama/Llama-3.1-8B-Instruct',
    config: LLAMA_3_1_INSTRUCT,
    match: /^(meta-)?llama-3\.1-(8b|70b|405b)-instruct/,
  },
  {
    id: 'meta-llama/Llama-3.2-3B-Instruct',
    config: LLAMA_3_2_INSTRUCT,
    match: /^(meta-)?llama-3\.2-(1b|3b)-instruct/,
  },
  {
    id: 'meta-llama/Llama-3.3-70B-Instruct',
    config: LLAMA_3_1_INSTRUCT,
    match: /^(meta-)?llama-3\.3-70b-instruct/,
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.1',
    config: MISTRAL_INSTRUCT_V0_1,
    match: /^mistral-7b-instruct-v0\.1/,
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.2',
    config: MISTRAL_INSTRUCT_V0_2,
    match: /^mistral-7b-instruct-v0\.2/,
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.3',
    config: MISTRAL_INSTRUCT_V0_3,
    match: /^mistral-7b-instruct-v0\.3/,
  },
  {
    id: 'Qwen/Qwen2.5-7B-Instruct',
    config: QWEN_2_5_INSTRUCT,
    // Coder shares the template; Math and VL do not.
    match: /^qwen2\.5-(coder-)?(0\.5b|1\.5b|3b|7b|14b|32b|72b)-instruct/,
  },
  {
    id: 'deepseek-r1/deepseek-r1-7b-instruct',
    config: DEEPSEEK_R1,
    match: /^deepseek-r1-7b-instruct$/,
  },
  { id: 'meta-llama/LlamaGuard-7b', config: LLAMAGUARD_7B, match: /^llamaguard-7b$/ },
];

/**
 * The bundled config for a model name (any provider prefix and organisation
 * are ignored), or `undefined`. The name is the one the caller passes, so a
 * served-model alias that hides the family will not match.
 */
export function bundledTokenizerConfig(model: string): BundledTokenizerConfig | undefined {
  const lower = model.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  for (const entry of BUNDLED_TOKENIZER_CONFIGS) {
    if (entry.id.toLowerCase() === lower || entry.match.test(base)) return entry;
  }
  return undefined;
}
