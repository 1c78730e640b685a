/**
 * Tolerant matching of model names to the template families this package
 * carries, for names a person would write that LiteLLM's substring rules and
 * the bundled configs' exact names miss: `llama-3-8b-instruct`, `llama3`,
 * `Llama-3.1-8B-Instruct-AWQ`, `meta-llama/Meta-Llama-3-8B`,
 * `mistral:7b-instruct-v0.3-q4_K_M`, `qwen2.5-coder`, …
 *
 * A name matches a family when it starts with the family's stem and every
 * word after the stem is one the family allows — a size, `instruct` /
 * `chat`, a version, or a quantisation or file-format tag. Any other word
 * (`vision`, `nemo`, `math`, `guard`) means another model with its own
 * template, so it does not match and the caller warns instead of guessing.
 */

/** What a family's names get: a bundled tokenizer config by id, or a named string template. */
export type FamilyTemplate = { bundled: string } | { named: string };

interface Family {
  /** Matched at the start of the normalised name; group 1 may pick a variant. */
  stem: RegExp;
  /** The template, given the stem's match and the words after it. */
  template(match: RegExpExecArray, rest: readonly string[]): FamilyTemplate;
  /** Family-specific words allowed after the stem, besides the common ones. */
  words?: readonly string[];
  /** At least one of these words must be present (a base model has no chat template)… */
  requires?: readonly string[];
  /** …unless the name is the stem alone (Ollama's `llama2` is the chat model). */
  bareIsChat?: boolean;
}

/** Sizes, chat tuning, versions, quantisation and file formats: words that do not change the template. */
const COMMON_WORD =
  /^(\d+|\d+(\.\d+)?[bmk]|\d+x\d+b|a\d+b|instruct|chat|it|hf|v\d+(\.\d+)*|awq|gptq|gguf|ggml|exl2|mlx|fp\d+|bf16|int\d|w\d+a\d+|\d+bit|bnb|nf4|q\d\w*|k|m|s|l|xs|xl|latest|quantized|dynamic|marlin|fast)$/;

const LLAMA_3_VERSIONS: Record<string, string> = {
  '': 'meta-llama/Meta-Llama-3-8B-Instruct',
  '1': 'meta-llama/Llama-3.1-8B-Instruct',
  '2': 'meta-llama/Llama-3.2-3B-Instruct',
  '3': 'meta-llama/Llama-3.3-70B-Instruct',
};

const MISTRAL_VERSIONS: Record<string, string> = {
  'v0.1': 'mistralai/Mistral-7B-Instruct-v0.1',
  'v0.2': 'mistralai/Mistral-7B-Instruct-v0.2',
  'v0.3': 'mistralai/Mistral-7B-Instruct-v0.3',
};

const FAMILIES: readonly Family[] = [
  {
    // LlamaGuard 1 only: Llama Guard 2 and 3 have templates of their own.
    stem: /^llama-?guard(?:-7b)?(?!-\d)(?=$|-)/,
    template: () => ({ bundled: 'meta-llama/LlamaGuard-7b' }),
  },
  {
    // `llama3`, `llama-3`, `llama3.1`, `llama-3.2`, `llama-3-1-8b`.
    stem: /^llama-?3(?:\.([123])|-([123])(?=-))?(?=$|-)/,
    template: m => ({ bundled: LLAMA_3_VERSIONS[m[1] ?? m[2] ?? '']! }),
  },
  {
    stem: /^llama-?2(?=$|-)/,
    template: () => ({ named: 'llama-2-chat' }),
    requires: ['chat', 'instruct'],
    bareIsChat: true,
  },
  {
    stem: /^codellama(?=$|-)/,
    template: () => ({ named: 'codellama-instruct' }),
    words: ['python'],
    requires: ['instruct'],
    bareIsChat: true,
  },
  {
    stem: /^mistral(?=$|-)/,
    // An unversioned name (Ollama's `mistral`) means the current release.
    template: (_, rest) => ({
      bundled: MISTRAL_VERSIONS[rest.find(word => word in MISTRAL_VERSIONS) ?? 'v0.3']!,
    }),
    requires: ['instruct'],
    bareIsChat: true,
  },
  {
    stem: /^qwen-?2\.5(?=$|-)/,
    template: () => ({ bundled: 'Qwen/Qwen2.5-7B-Instruct' }),
    words: ['coder'],
  },
  {
    stem: /^deepseek-r1(?=$|-)/,
    template: () => ({ bundled: 'deepseek-r1/deepseek-r1-7b-instruct' }),
    words: ['distill', 'qwen', 'llama', '0528'],
  },
  {
    stem: /^falcon(?=$|-)/,
    template: () => ({ named: 'falcon-instruct' }),
    requires: ['instruct'],
  },
  { stem: /^mpt(?=$|-)/, template: () => ({ named: 'mpt-chat' }), requires: ['chat'] },
  {
    stem: /^wizardcoder(?=$|-)/,
    template: () => ({ named: 'wizardcoder' }),
    words: ['python'],
  },
  { stem: /^phind-codellama(?=$|-)/, template: () => ({ named: 'phind-codellama' }) },
  { stem: /^mytho(?:max|mix|logic)-l2(?=$|-)/, template: () => ({ named: 'alpaca' }) },
];

/**
 * The name as families are matched: lower-cased, the part after the last
 * `/` (provider prefix and organisation dropped), `_`, `:` and spaces read
 * as `-` (Ollama's `llama3:8b-instruct-q4_0`), a leading `meta-` dropped.
 */
export function normalizeModelName(model: string): string {
  const lower = model.toLowerCase();
  return lower
    .slice(lower.lastIndexOf('/') + 1)
    .replace(/[\s_:]+/g, '-')
    .replace(/^meta-/, '');
}

/** The template family a model name belongs to, or undefined when none fits (see the module comment). */
export function matchModelFamily(model: string): FamilyTemplate | undefined {
  const name = normalizeModelName(model);
  for (const family of FAMILIES) {
    const match = family.stem.exec(name);
    if (!match) continue;
    const rest = name.slice(match[0].length).split('-').filter(Boolean);
    const allowed = rest.every(word => COMMON_WORD.test(word) || family.words?.includes(word));
    if (!allowed) return undefined;
    const bare = rest.length === 0 || (rest.length === 1 && rest[0] === 'latest');
    if (family.requires && !rest.some(word => family.requires!.includes(word))) {
      if (!(family.bareIsChat && bare)) return undefined;
    }
    return family.template(match, rest);
  }
  return undefined;
}
