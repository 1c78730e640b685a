import { BadRequestError } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultPromptTemplateRegistry,
  PromptTemplateRegistry,
  promptTemplateFor,
  registerPromptTemplate,
  renderPrompt,
} from '../src/index';
import { CONVERSATION } from './conversation';

const LLAMA2_LIKE = {
  system: { preMessage: '[INST] <<SYS>>\n', postMessage: '\n<</SYS>>\n [/INST]\n' },
  user: { preMessage: '[INST] ', postMessage: ' [/INST]\n' },
  assistant: { preMessage: '\n', postMessage: '\n' },
};

afterEach(() => {
  for (const model of [
    'togethercomputer/LLaMA-2-7B-32K',
    'hosted_vllm/x',
    'triton/x',
    'meta-llama/Llama-2-7b-chat-hf',
    'global/only',
  ]) {
    defaultPromptTemplateRegistry.unregister(model);
  }
});

describe('registerPromptTemplate (custom_prompt)', () => {
  it('renders the documented LiteLLM example', () => {
    registerPromptTemplate({ model: 'togethercomputer/LLaMA-2-7B-32K', roles: LLAMA2_LIKE });
    expect(renderPrompt('togethercomputer/LLaMA-2-7B-32K', CONVERSATION)).toBe(
      '[INST] <<SYS>>\nS\n<</SYS>>\n [/INST]\n[INST] U1 [/INST]\n\nA1\n[INST] U2 [/INST]\n',
    );
  });

  it('registers the model string and its provider-stripped name', () => {
    const registry = new PromptTemplateRegistry({ parent: null });
    registry.register({ model: 'hosted_vllm/x', roles: { user: { preMessage: '>' } } });
    expect(registry.lookup('hosted_vllm/x')?.name).toBe('custom:hosted_vllm/x');
    expect(registry.lookup('x')?.name).toBe('custom:hosted_vllm/x');
    expect(registry.lookup('triton/x')?.name).toBe('custom:hosted_vllm/x');
    expect(renderPrompt('triton/x', [{ role: 'user', content: 'hi' }], { registry })).toBe('>hi');
  });

  it('a model with a provider prefix finds a template registered without one', () => {
    registerPromptTemplate({ model: 'togethercomputer/LLaMA-2-7B-32K', roles: LLAMA2_LIKE });
    expect(promptTemplateFor('hosted_vllm/togethercomputer/LLaMA-2-7B-32K').source).toBe(
      'registered',
    );
  });

  it('accepts LiteLLM snake_case keys', () => {
    const registry = new PromptTemplateRegistry({ parent: null });
    registry.register({
      model: 'hosted_vllm/snake',
      roles: {
        user: { pre_message: '[INST] ', post_message: ' [/INST]' },
        assistant: { pre_message: ' ', post_message: '' },
      },
      initial_prompt_value: '<start>',
      final_prompt_value: '<end>',
      bos_token: '<s>',
      eos_token: '</s>',
    });
    expect(
      renderPrompt(
        'hosted_vllm/snake',
        [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'yo' },
          { role: 'system', content: 'S' },
        ],
        { registry },
      ),
    ).toBe('<s><start>[INST] hi [/INST] yo</s><s>S<end>');
  });

  it('partial templates: only a user entry, with and without initial/final values', () => {
    const registry = new PromptTemplateRegistry({ parent: null });
    const roles = { user: { pre_message: '[INST] ', post_message: ' [/INST]' } };
    registry.register({ model: 'a/partial', roles });
    registry.register({
      model: 'b/partial',
      roles,
      initialPromptValue: '<start>',
      finalPromptValue: '<end>',
    });
    const hi = [{ role: 'user', content: 'hi' }];
    expect(renderPrompt('a/partial', hi, { registry })).toBe('[INST] hi [/INST]');
    expect(renderPrompt('b/partial', hi, { registry })).toBe('<start>[INST] hi [/INST]<end>');
  });
});

describe('precedence', () => {
  it('a registered template wins over the built-in rule for the same model', () => {
    expect(promptTemplateFor('meta-llama/Llama-2-7b-chat-hf').name).toBe('llama-2-chat');
    registerPromptTemplate({
      model: 'meta-llama/Llama-2-7b-chat-hf',
      roles: { user: { preMessage: 'Q: ' } },
    });
    expect(renderPrompt('meta-llama/Llama-2-7b-chat-hf', [{ role: 'user', content: 'hi' }])).toBe(
      'Q: hi',
    );
  });

  it('an instance registry wins over the global one and falls back to it', () => {
    registerPromptTemplate({ model: 'hosted_vllm/x', roles: { user: { preMessage: 'global:' } } });
    registerPromptTemplate({ model: 'global/only', roles: { user: { preMessage: 'only:' } } });
    const instance = new PromptTemplateRegistry();
    instance.register({ model: 'hosted_vllm/x', roles: { user: { preMessage: 'instance:' } } });
    const hi = [{ role: 'user', content: 'hi' }];
    expect(renderPrompt('hosted_vllm/x', hi, { registry: instance })).toBe('instance:hi');
    expect(renderPrompt('hosted_vllm/x', hi)).toBe('global:hi');
    expect(renderPrompt('global/only', hi, { registry: instance })).toBe('only:hi');
    expect(new PromptTemplateRegistry({ parent: null }).lookup('global/only')).toBeUndefined();
  });

  it('unregister removes both keys', () => {
    const registry = new PromptTemplateRegistry({ parent: null });
    registry.register({ model: 'triton/x', roles: {} });
    expect(registry.unregister('triton/x')).toBe(true);
    expect(registry.lookup('x')).toBeUndefined();
  });
});

describe('registration errors name the field', () => {
  const registry = new PromptTemplateRegistry({ parent: null });
  it.each([
    [{ model: '' }, 'registerPromptTemplate: model must be a non-empty string, got string'],
    [
      { model: 'a/b', roles: [] },
      'registerPromptTemplate: roles must be an object keyed by role, got an array',
    ],
    [
      { model: 'a/b', roles: { user: 'x' } },
      'registerPromptTemplate: roles.user must be an object with preMessage / postMessage, got string',
    ],
    [
      { model: 'a/b', roles: { user: { pre_message: 3 } } },
      'registerPromptTemplate: roles.user.preMessage must be a string, got number',
    ],
    [
      { model: 'a/b', bos_token: false },
      'registerPromptTemplate: bosToken must be a string, got boolean',
    ],
  ])('%j', (options, message) => {
    let caught: unknown;
    try {
      registry.register(options as never);
    } catch (error) {
      caught = error;
    }
    expect(BadRequestError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});
