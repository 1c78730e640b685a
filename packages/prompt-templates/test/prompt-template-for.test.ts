import { describe, expect, it } from 'vitest';
import { PromptTemplateRegistry, promptTemplateFor, renderPrompt } from '../src/index';
import { CONVERSATION } from './conversation';

function isolated() {
  const warnings: string[] = [];
  const registry = new PromptTemplateRegistry({ parent: null, onWarning: w => warnings.push(w) });
  return { registry, warnings };
}

// §4.3 rules 1–10 in order, then the bundled/default fall-through.
describe('promptTemplateFor: LiteLLM prompt_factory matching', () => {
  it.each([
    ['meta-llama/Llama-2-7b-chat-hf', 'llama-2-chat', 'builtin'],
    ['hosted_vllm/META-LLAMA/LLAMA-2-13B-CHAT', 'llama-2-chat', 'builtin'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'llama-3-instruct', 'builtin'],
    ['triton/neuralmagic/Meta-Llama-3-70B-Instruct-FP8', 'llama-3-instruct', 'builtin'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3-instruct', 'builtin'],
    ['tiiuae/falcon-7b-instruct', 'falcon-instruct', 'builtin'],
    // LiteLLM compares the lower-cased name with a mixed-case literal, so this never hits falcon-chat.
    ['tiiuae/falcon-180B-chat', 'default', 'fallback'],
    ['tiiuae/falcon-7b', 'default', 'fallback'],
    ['mosaicml/mpt-7b-chat', 'mpt-chat', 'builtin'],
    ['mosaicml/mpt-7b', 'default', 'fallback'],
    ['codellama/CodeLlama-34b-Instruct-hf', 'codellama-instruct', 'builtin'],
    ['togethercomputer/CodeLlama-13b-Instruct', 'codellama-instruct', 'builtin'],
    ['codellama/CodeLlama-7b-hf', 'default', 'fallback'],
    ['WizardLM/WizardCoder-Python-34B-V1.0', 'wizardcoder', 'builtin'],
    ['Phind/Phind-CodeLlama-34B-v2', 'phind-codellama', 'builtin'],
    ['togethercomputer/llama-2-70b-chat', 'llama-2-chat', 'builtin'],
    ['togethercomputer/Llama-2-7B-32K-Instruct', 'llama-2-chat', 'builtin'],
    ['togethercomputer/llama-2-7b', 'default', 'fallback'],
    ['Gryphe/MythoMax-L2-13b', 'alpaca', 'builtin'],
    ['gryphe/mythomix-l2-13b', 'alpaca', 'builtin'],
    ['Gryphe/MythoLogic-L2-13b', 'alpaca', 'builtin'],
    ['meta-llama/LlamaGuard-7b', 'llamaguard-7b', 'builtin'],
    ['mistralai/Mistral-7B-Instruct-v0.1', 'hf:mistralai/Mistral-7B-Instruct-v0.1', 'bundled'],
    ['hosted_vllm/Qwen2.5-7B-Instruct-AWQ', 'hf:Qwen/Qwen2.5-7B-Instruct', 'bundled'],
    ['llama-3.3-70b-instruct', 'hf:meta-llama/Llama-3.3-70B-Instruct', 'bundled'],
    ['facebook/opt-125m', 'default', 'fallback'],
    ['bigscience/bloom', 'default', 'fallback'],
  ])('%s → %s', (model, name, source) => {
    const { registry } = isolated();
    const template = promptTemplateFor(model, { registry });
    expect(template.name).toBe(name);
    expect(template.source).toBe(source);
  });

  it('rules are checked in LiteLLM order: llama-2 chat wins over togethercomputer codellama', () => {
    const { registry } = isolated();
    // contains both "meta-llama/llama-2…chat" (rule 1) and "instruct"
    expect(promptTemplateFor('meta-llama/llama-2-chat-instruct', { registry }).name).toBe(
      'llama-2-chat',
    );
  });

  it('the default template joins contents with a space', () => {
    const { registry } = isolated();
    expect(renderPrompt('facebook/opt-125m', CONVERSATION, { registry })).toBe('S U1 A1 U2');
    expect(renderPrompt('mosaicml/mpt-7b', CONVERSATION, { registry })).toBe('S U1 A1 U2');
  });
});

// Names people write that LiteLLM's substring rules miss: tolerant family matching.
describe('promptTemplateFor: tolerant family matching', () => {
  const llama3 = 'hf:meta-llama/Meta-Llama-3-8B-Instruct';
  it.each([
    // The README's own example, and what LiteLLM sends as the plain prompt.
    ['triton/llama-3-8b-instruct', llama3],
    ['llama3', llama3],
    ['llama3:8b-instruct-q4_K_M', llama3],
    ['hosted_vllm/meta-llama/Meta-Llama-3-8B', llama3],
    ['Llama-3-70B-Instruct-AWQ', llama3],
    ['Llama-3.1-8B-Instruct', 'hf:meta-llama/Llama-3.1-8B-Instruct'],
    ['llama3.1', 'hf:meta-llama/Llama-3.1-8B-Instruct'],
    ['llama-3-1-8b-instruct', 'hf:meta-llama/Llama-3.1-8B-Instruct'],
    ['triton/llama3.2-3b', 'hf:meta-llama/Llama-3.2-3B-Instruct'],
    ['llama3.3:70b', 'hf:meta-llama/Llama-3.3-70B-Instruct'],
    ['mistral', 'hf:mistralai/Mistral-7B-Instruct-v0.3'],
    ['mistral-7b-instruct', 'hf:mistralai/Mistral-7B-Instruct-v0.3'],
    ['mistral:7b-instruct-v0.2-q4_0', 'hf:mistralai/Mistral-7B-Instruct-v0.2'],
    ['qwen2.5', 'hf:Qwen/Qwen2.5-7B-Instruct'],
    ['Qwen2.5-Coder-7B-Instruct-GPTQ-Int4', 'hf:Qwen/Qwen2.5-7B-Instruct'],
    ['DeepSeek-R1-Distill-Qwen-7B', 'hf:deepseek-r1/deepseek-r1-7b-instruct'],
    ['llama-guard-7b', 'hf:meta-llama/LlamaGuard-7b'],
    ['llama2', 'llama-2-chat'],
    ['Llama-2-13b-chat-hf', 'llama-2-chat'],
    ['codellama:13b-instruct', 'codellama-instruct'],
    ['falcon-7b-instruct', 'falcon-instruct'],
    ['mpt-7b-chat', 'mpt-chat'],
    ['WizardCoder-Python-34B-V1.0', 'wizardcoder'],
    ['phind-codellama-34b-v2', 'phind-codellama'],
    ['mythomax-l2-13b', 'alpaca'],
  ])('%s → %s', (model, name) => {
    const { registry, warnings } = isolated();
    expect(promptTemplateFor(model, { registry }).name).toBe(name);
    expect(warnings).toEqual([]);
  });

  it.each([
    // Another model of the family with a template of its own, or a base model: no guess.
    'llama-3.2-11b-vision-instruct',
    'Llama-Guard-3-8B',
    'mistral-nemo-instruct',
    'mistral-7b-v0.1',
    'qwen2.5-math-7b-instruct',
    'llama-2-7b-hf',
    'falcon-7b',
    'my-llama3-finetune',
  ])('%s → default, with a warning', model => {
    const { registry, warnings } = isolated();
    expect(promptTemplateFor(model, { registry }).source).toBe('fallback');
    expect(warnings).toHaveLength(1);
  });

  it('renders a bare name with its roles, where it used to join the contents', () => {
    const { registry } = isolated();
    expect(renderPrompt('triton/llama-3-8b-instruct', CONVERSATION, { registry })).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nU1<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nA1<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nU2<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('a registered template still wins over the family', () => {
    const { registry } = isolated();
    registry.register({ model: 'llama3', roles: { user: { pre_message: '[U]' } } });
    expect(renderPrompt('llama3', [{ role: 'user', content: 'hi' }], { registry })).toBe('[U]hi');
  });
});

describe('warn once per model', () => {
  it('warns the first time a model falls back to the default, never again', () => {
    const { registry, warnings } = isolated();
    renderPrompt('facebook/opt-125m', CONVERSATION, { registry });
    renderPrompt('facebook/opt-125m', CONVERSATION, { registry });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"facebook/opt-125m"');
    expect(warnings[0]).toContain('default template');
    // It says how to give the model its template.
    expect(warnings[0]).toContain(
      "registerPromptTemplate({ model: 'facebook/opt-125m', tokenizerConfig: '/path/to/tokenizer_config.json' })",
    );
    expect(warnings[0]).toContain('roles:');
    renderPrompt('tiiuae/falcon-7b', CONVERSATION, { registry });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('tiiuae/falcon');
  });

  it('does not warn for a model with a template', () => {
    const { registry, warnings } = isolated();
    renderPrompt('meta-llama/Llama-2-7b-chat-hf', CONVERSATION, { registry });
    renderPrompt('hosted_vllm/Qwen2.5-7B-Instruct', CONVERSATION, { registry });
    expect(warnings).toEqual([]);
  });

  it('an onWarning option overrides the registry handler', () => {
    const { registry, warnings } = isolated();
    const mine: string[] = [];
    promptTemplateFor('acme/unknown-1', { registry, onWarning: w => mine.push(w) });
    expect(mine).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('defaults to process.emitWarning with a code', async () => {
    const registry = new PromptTemplateRegistry({ parent: null });
    const warned = new Promise<Error & { code?: string }>(resolve =>
      process.once('warning', resolve),
    );
    promptTemplateFor('acme/never-seen-model', { registry });
    const warning = await warned;
    expect(warning.code).toBe('SWITCHYARD_PROMPT_TEMPLATE');
    expect(warning.message).toContain('acme/never-seen-model');
  });
});
