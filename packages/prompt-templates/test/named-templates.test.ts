import { describe, expect, it } from 'vitest';
import {
  alpacaPrompt,
  customPrompt,
  defaultPrompt,
  falconChatPrompt,
  falconInstructPrompt,
  ibmGranitePrompt,
  llama2ChatPrompt,
  mistralInstructPrompt,
  mptChatPrompt,
  NAMED_TEMPLATES,
  phindCodellamaPrompt,
  renderPrompt,
  wizardcoderPrompt,
} from '../src/index';
import { CONVERSATION, GOOD_BOT } from './conversation';

// The §4.4 table of the LiteLLM spec, byte for byte.
describe('LiteLLM named templates on [system S, user U1, assistant A1, user U2]', () => {
  it.each([
    ['default_pt', defaultPrompt, 'S U1 A1 U2'],
    [
      'llama_2_chat_pt',
      llama2ChatPrompt,
      '<s>[INST] <<SYS>>\nS\n<</SYS>>\n [/INST]\n[INST] U1 [/INST]\nA1\n</s>[INST] U2 [/INST]\n',
    ],
    ['falcon_instruct_pt', falconInstructPrompt, 'Suser:U1\n\nassistant:A1\n\nuser:U2\n\n'],
    ['falcon_chat_pt', falconChatPrompt, 'System: SUser: U1Falcon: A1User: U2'],
    [
      'mpt_chat_pt',
      mptChatPrompt,
      '<|im_start|>systemS<|im_end|>\n<|im_start|>userU1<|im_end|>\n<|im_start|>assistantA1<|im_end|>\n<|im_start|>userU2<|im_end|>\n',
    ],
    [
      'wizardcoder_pt',
      wizardcoderPrompt,
      'S\n\n### Instruction:\nU1\n\n### Response:\nA1\n\n### Instruction:\nU2\n\n',
    ],
    [
      'phind_codellama_pt',
      phindCodellamaPrompt,
      '### System Prompt\nS\n\n### User Message\nU1\n\n### Assistant\nA1\n\n### User Message\nU2\n\n',
    ],
    [
      'alpaca_pt',
      alpacaPrompt,
      '<s>### Instruction:\nS\n\n### Instruction:\nU1\n\n### Response:\nA1\n\n</s>### Instruction:\nU2\n\n',
    ],
    [
      'mistral_instruct_pt',
      mistralInstructPrompt,
      '<s>[INST] \nS [/INST]\n[INST] U1 [/INST]\n A1</s> [INST] U2 [/INST]\n',
    ],
    [
      'ibm_granite_pt',
      ibmGranitePrompt,
      '<|system|>\nS\n<|user|>\nU1\n<|assistant|>\nA1\n<|user|>\nU2\n<|assistant|>',
    ],
  ])('%s', (_name, fn, expected) => {
    expect(fn(CONVERSATION)).toBe(expected);
  });

  it('Llama-3 hf template (meta-llama-3 … instruct), contents trimmed', () => {
    expect(renderPrompt('hosted_vllm/meta-llama/Meta-Llama-3-8B-Instruct', CONVERSATION)).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU1<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nA1<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU2<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
    const padded = CONVERSATION.map(m => ({ ...m, content: `  ${m.content as string}\n` }));
    expect(renderPrompt('meta-llama/Meta-Llama-3-8B-Instruct', padded)).toBe(
      renderPrompt('meta-llama/Meta-Llama-3-8B-Instruct', CONVERSATION),
    );
  });

  it('Mistral-7B-Instruct hf template: system → user, alternation repaired', () => {
    expect(renderPrompt('triton/mistralai/Mistral-7B-Instruct-v0.1', CONVERSATION)).toBe(
      '<s>[INST] S [/INST]</s> [INST] U1 [/INST]A1</s> [INST] U2 [/INST]',
    );
  });
});

describe('LiteLLM test_prompt_factory cases', () => {
  it('Llama-3 "You are a good bot"', () => {
    expect(renderPrompt('meta-llama/Meta-Llama-3-8B-Instruct', GOOD_BOT)).toBe(
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a good bot<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHey, how's it going?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
    );
  });

  it('llama_2_chat_pt "You are a good bot"', () => {
    expect(llama2ChatPrompt(GOOD_BOT)).toBe(
      "<s>[INST] <<SYS>>\nYou are a good bot\n<</SYS>>\n [/INST]\n[INST] Hey, how's it going? [/INST]\n",
    );
  });
});

describe('custom_prompt semantics (§4.1)', () => {
  it('partial template: only a user entry', () => {
    const roles = { user: { preMessage: '[INST] ', postMessage: ' [/INST]' } };
    expect(customPrompt({ roles }, [{ role: 'user', content: 'hi' }])).toBe('[INST] hi [/INST]');
    expect(
      customPrompt({ roles, initialPromptValue: '<start>', finalPromptValue: '<end>' }, [
        { role: 'user', content: 'hi' },
      ]),
    ).toBe('<start>[INST] hi [/INST]<end>');
  });

  it('roles without an entry get their content bare', () => {
    expect(
      customPrompt({ roles: { user: { preMessage: 'U:' } } }, [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'u' },
        { role: 'tool', content: 't' },
      ]),
    ).toBe('sysU:ut');
  });

  it('BOS re-opens before system and human after an assistant turn, never before user', () => {
    const spec = { roles: {}, bosToken: '<B>', eosToken: '<E>' };
    expect(
      customPrompt(spec, [
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' },
        { role: 'assistant', content: 'a2' },
        { role: 'system', content: 's' },
        { role: 'assistant', content: 'a3' },
        { role: 'human', content: 'h' },
        { role: 'human', content: 'h2' },
      ]),
    ).toBe('<B>u1a1<E>u2a2<E><B>sa3<E><B>hh2');
  });

  it('BOS comes before the initial prompt value', () => {
    expect(
      customPrompt({ roles: {}, bosToken: '<B>', initialPromptValue: '<I>' }, [
        { role: 'user', content: 'x' },
      ]),
    ).toBe('<B><I>x');
  });

  it('an assistant message with null content writes neither pre nor post, but still the EOS', () => {
    const spec = {
      roles: { assistant: { preMessage: '[A]', postMessage: '[/A]' } },
      eosToken: '<E>',
    };
    expect(
      customPrompt(spec, [
        { role: 'assistant', content: null, tool_calls: [] },
        { role: 'assistant', content: 'ok' },
      ]),
    ).toBe('<E>[A]ok[/A]<E>');
  });
});

describe('list content', () => {
  const parts = [
    { type: 'text', text: 'look ' },
    { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
    { type: 'text', text: 'here' },
  ];

  it('concatenates the text parts and drops the others, in every template', () => {
    const messages = [{ role: 'user', content: parts }];
    expect(defaultPrompt(messages)).toBe('look here');
    expect(llama2ChatPrompt(messages)).toBe('<s>[INST] look here [/INST]\n');
    expect(falconInstructPrompt(messages)).toBe('user:look here\n\n');
    expect(renderPrompt('meta-llama/Meta-Llama-3-8B-Instruct', messages)).toContain(
      '<|end_header_id|>\n\nlook here<|eot_id|>',
    );
  });

  it('falcon instruct folds \\r\\n and blank lines inside a message', () => {
    expect(falconInstructPrompt([{ role: 'user', content: 'a\r\n\r\nb\n\n\nc' }])).toBe(
      'user:a\nb\n\nc\n\n',
    );
  });

  it('roles a string template does not know are skipped', () => {
    expect(
      wizardcoderPrompt([
        { role: 'tool', content: 'x' },
        { role: 'user', content: 'q' },
      ]),
    ).toBe('### Instruction:\nq\n\n');
  });
});

describe('NAMED_TEMPLATES', () => {
  it('exposes every template by name with its descriptor', () => {
    expect(Object.keys(NAMED_TEMPLATES).sort()).toEqual(
      [
        'alpaca',
        'codellama-instruct',
        'default',
        'falcon-chat',
        'falcon-instruct',
        'ibm-granite',
        'llama-2-chat',
        'mistral-instruct',
        'mpt-chat',
        'phind-codellama',
        'wizardcoder',
      ].sort(),
    );
    expect(NAMED_TEMPLATES['codellama-instruct']!.render(GOOD_BOT)).toBe(
      llama2ChatPrompt(GOOD_BOT),
    );
    expect(NAMED_TEMPLATES.alpaca!.kind).toBe('string');
  });
});
