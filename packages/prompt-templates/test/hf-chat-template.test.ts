import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestError } from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLED_TOKENIZER_CONFIGS,
  bundledTokenizerConfig,
  hfChatTemplate,
  loadTokenizerConfig,
  PromptTemplateRegistry,
  renderPrompt,
} from '../src/index';
import { CONVERSATION } from './conversation';

const CHATML = {
  chat_template:
    '{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}',
  bos_token: { content: '<BOS>', lstrip: false },
  eos_token: '<EOS>',
};

const dir = mkdtempSync(join(tmpdir(), 'prompt-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function registry() {
  return new PromptTemplateRegistry({ parent: null, onWarning: () => {} });
}

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('Hugging Face chat templates', () => {
  it('from a tokenizer_config object, with {content} and string special tokens', () => {
    const reg = registry();
    reg.register({ model: 'hosted_vllm/acme/chat', tokenizerConfig: CHATML });
    expect(renderPrompt('acme/chat', [{ role: 'user', content: 'hi' }], { registry: reg })).toBe(
      '<BOS><|user|>hi<EOS><|assistant|>',
    );
  });

  it('from a tokenizer_config.json file, read once at registration', () => {
    const path = join(dir, 'tokenizer_config.json');
    writeFileSync(path, JSON.stringify(CHATML));
    const reg = registry();
    reg.register({ model: 'triton/acme/file', tokenizer_config: path });
    // The file is gone: rendering must not read it again.
    rmSync(path);
    expect(
      renderPrompt('triton/acme/file', [{ role: 'user', content: 'hi' }], { registry: reg }),
    ).toBe('<BOS><|user|>hi<EOS><|assistant|>');
  });

  it('addGenerationPrompt: false leaves the assistant header off', () => {
    const template = hfChatTemplate({ name: 'chatml', tokenizerConfig: CHATML });
    expect(template.render([{ role: 'user', content: 'hi' }], { addGenerationPrompt: false })).toBe(
      '<BOS><|user|>hi<EOS>',
    );
  });

  it('chatTemplateKwargs reach the template', () => {
    const template = hfChatTemplate({
      name: 'kwargs',
      tokenizerConfig: {
        chat_template:
          '{% if enable_thinking is defined and not enable_thinking %}/no_think {% endif %}{{ messages[0].content }} {{ date_string }}',
      },
    });
    expect(
      template.render([{ role: 'user', content: 'hi' }], {
        chatTemplateKwargs: { enable_thinking: false, date_string: '01 Jan 2025' },
      }),
    ).toBe('/no_think hi 01 Jan 2025');
  });

  it('kwargs cannot replace messages or the special tokens', () => {
    const template = hfChatTemplate({ name: 'guard', tokenizerConfig: CHATML });
    expect(
      template.render([{ role: 'user', content: 'hi' }], {
        chatTemplateKwargs: { messages: [], bos_token: 'X', eos_token: 'Y' },
      }),
    ).toBe('<BOS><|user|>hi<EOS><|assistant|>');
  });

  it('a named-template list: default, or tool_use when tools are passed', () => {
    const template = hfChatTemplate({
      name: 'listed',
      tokenizerConfig: {
        chat_template: [
          { name: 'default', template: 'plain:{{ messages[0].content }}' },
          { name: 'tool_use', template: 'tools:{{ tools | length }}:{{ messages[0].content }}' },
        ],
      },
    });
    const hi = [{ role: 'user', content: 'hi' }];
    expect(template.render(hi)).toBe('plain:hi');
    expect(template.render(hi, { chatTemplateKwargs: { tools: [{ type: 'function' }] } })).toBe(
      'tools:1:hi',
    );
  });

  it('system fallback: a template without a system role gets it as user', () => {
    const template = hfChatTemplate({
      name: 'no-system',
      tokenizerConfig: {
        chat_template:
          "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system') }}{% endif %}[{{ m.role }}:{{ m.content }}]{% endfor %}",
      },
    });
    expect(
      template.render([
        { role: 'system', content: 'S' },
        { role: 'user', content: 'U' },
      ]),
    ).toBe('[user:S][user:U]');
  });

  it('a template with a system role keeps it', () => {
    const template = hfChatTemplate({
      name: 'with-system',
      tokenizerConfig: { chat_template: '{% for m in messages %}[{{ m.role }}]{% endfor %}' },
    });
    expect(template.render(CONVERSATION)).toBe('[system][user][assistant][user]');
  });

  it('alternation repair inserts empty turns between same-role neighbours and re-renders', () => {
    const reg = registry();
    const messages = [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'c' },
      { role: 'assistant', content: 'd' },
    ];
    expect(renderPrompt('mistralai/Mistral-7B-Instruct-v0.1', messages, { registry: reg })).toBe(
      '<s>[INST] a [/INST]</s> [INST] b [/INST]c</s> [INST]  [/INST]d</s> ',
    );
  });

  it('the repair re-renders without add_generation_prompt, unless it was asked for', () => {
    const template = hfChatTemplate({
      name: 'strict',
      tokenizerConfig: {
        chat_template:
          "{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{{ m.role[0] }}{% endfor %}{% if add_generation_prompt %}+{% endif %}",
      },
    });
    const twoUsers = [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ];
    expect(template.render(twoUsers)).toBe('uau');
    expect(template.render(twoUsers, { addGenerationPrompt: true })).toBe('uau+');
    expect(template.render([{ role: 'user', content: 'a' }])).toBe('u+');
  });
});

describe('bundled tokenizer configs', () => {
  it('Llama 3.1 / 3.3 put the knowledge date and a fixed date before the system text', () => {
    const reg = registry();
    const out = renderPrompt('hosted_vllm/Llama-3.1-8B-Instruct', CONVERSATION, { registry: reg });
    expect(out).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU1<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nA1<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU2<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
    expect(renderPrompt('llama-3.3-70b-instruct', CONVERSATION, { registry: reg })).toBe(out);
  });

  it('Llama 3.2 takes date_string from chatTemplateKwargs, else today via strftime_now', () => {
    const reg = registry();
    const withDate = renderPrompt('Llama-3.2-3B-Instruct', CONVERSATION, {
      registry: reg,
      chatTemplateKwargs: { date_string: '01 Feb 2025' },
    });
    expect(withDate).toContain('Today Date: 01 Feb 2025\n\nS<|eot_id|>');
    const now = new Date();
    const month = now.toLocaleString('en-US', { month: 'short' });
    expect(renderPrompt('Llama-3.2-3B-Instruct', CONVERSATION, { registry: reg })).toContain(
      `Today Date: ${String(now.getDate()).padStart(2, '0')} ${month} ${now.getFullYear()}`,
    );
  });

  it('Qwen 2.5 renders ChatML with its default system prompt', () => {
    const reg = registry();
    expect(renderPrompt('Qwen/Qwen2.5-7B-Instruct', CONVERSATION.slice(1), { registry: reg })).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('Mistral v0.2 folds the system message into the first turn, v0.3 into the last', () => {
    const reg = registry();
    expect(renderPrompt('mistral-7b-instruct-v0.2', CONVERSATION, { registry: reg })).toBe(
      '<s> [INST] S\n\nU1 [/INST] A1</s> [INST] U2 [/INST]',
    );
    expect(renderPrompt('mistral-7b-instruct-v0.3', CONVERSATION, { registry: reg })).toBe(
      '<s>[INST] U1[/INST] A1</s>[INST] S\n\nU2[/INST]',
    );
  });

  it('DeepSeek-R1 (LiteLLM bundle) opens a think block', () => {
    const reg = registry();
    expect(
      renderPrompt('deepseek-r1/deepseek-r1-7b-instruct', CONVERSATION, { registry: reg }),
    ).toBe(
      '<｜begin▁of▁sentence｜>S<｜User｜>U1<｜Assistant｜>A1<｜end▁of▁sentence｜><｜User｜>U2<｜Assistant｜><think>\n',
    );
  });

  it('LlamaGuard asks about the last speaker', () => {
    const reg = registry();
    const out = renderPrompt('meta-llama/LlamaGuard-7b', [{ role: 'user', content: ' hi ' }], {
      registry: reg,
    });
    expect(out.startsWith("[INST] Task: Check if there is unsafe content in 'User' messages")).toBe(
      true,
    );
    expect(out).toContain('<BEGIN CONVERSATION>\n\nUser: hi\n\n<END CONVERSATION>');
    expect(out.endsWith('violated categories. [/INST]')).toBe(true);
  });

  it('every bundled config compiles and renders a plain conversation', () => {
    for (const entry of BUNDLED_TOKENIZER_CONFIGS) {
      const template = hfChatTemplate({
        name: entry.id,
        tokenizerConfig: entry.config,
        source: 'bundled',
      });
      expect(template.render(CONVERSATION).length).toBeGreaterThan(10);
      expect(bundledTokenizerConfig(entry.id)?.id).toBe(entry.id);
    }
  });
});

describe('errors', () => {
  it('a syntax error names the template, at registration', () => {
    const error = caught(() =>
      registry().register({
        model: 'a/bad',
        tokenizerConfig: { chat_template: '{% for m in messages %}' },
      }),
    );
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^Prompt template "hf:a\/bad": the chat template does not compile: /,
    );
  });

  it('raise_exception names the template and the message index', () => {
    const template = hfChatTemplate({
      name: 'picky',
      tokenizerConfig: {
        chat_template:
          "{% for m in messages %}{% if m.content == 'bad' %}{{ raise_exception('no bad words') }}{% endif %}{{ m.content }}{% endfor %}",
      },
    });
    const error = caught(() =>
      template.render([
        { role: 'user', content: 'ok' },
        { role: 'assistant', content: 'fine' },
        { role: 'user', content: 'bad' },
      ]),
    );
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Prompt template "picky": the chat template raised at messages[2]: no bad words',
    );
  });

  it('a failure after the alternation repair says the index is in the repaired list', () => {
    const template = hfChatTemplate({
      name: 'never-alternates',
      tokenizerConfig: {
        chat_template:
          "{% if messages|length > 1 %}{{ raise_exception('Conversation roles must alternate') }}{% endif %}x",
      },
    });
    const error = caught(() =>
      template.render([
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ]),
    );
    expect(error.message).toBe(
      'Prompt template "never-alternates": the chat template raised at messages[1] of the alternation-repaired list: Conversation roles must alternate',
    );
  });

  it('an engine failure is a BadRequestError too', () => {
    const template = hfChatTemplate({
      name: 'broken',
      tokenizerConfig: { chat_template: '{{ messages[0].content.nope() }}' },
    });
    const error = caught(() => template.render([{ role: 'user', content: 'x' }]));
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^Prompt template "broken": the chat template failed at messages\[0\]: /,
    );
  });

  it('a config without a chat template is refused', () => {
    const error = caught(() =>
      registry().register({ model: 'a/none', tokenizerConfig: { bos_token: '<s>' } }),
    );
    expect(error.message).toContain(
      'Prompt template "hf:a/none": tokenizer_config.chat_template must be',
    );
  });

  it('an unreadable or non-JSON file names the file', () => {
    const missing = join(dir, 'missing.json');
    expect(caught(() => loadTokenizerConfig(missing)).message).toContain(`cannot read ${missing}`);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{nope');
    expect(caught(() => loadTokenizerConfig(notJson)).message).toContain('is not valid JSON');
  });

  it.each([
    [
      [{ content: 'x' }],
      'Prompt template "llama-2-chat": messages[0].role must be a non-empty string, got undefined',
    ],
    [
      [{ role: 'user', content: 'x' }, { role: 'user' }],
      'Prompt template "llama-2-chat": messages[1].content is required for role "user" (expected a string or an array of content parts)',
    ],
    [
      [{ role: 'user', content: 42 }],
      'Prompt template "llama-2-chat": messages[0].content must be a string, an array of content parts or null, got number',
    ],
    [
      [{ role: 'user', content: ['x'] }],
      'Prompt template "llama-2-chat": messages[0].content[0] must be a content part object, got string',
    ],
    [
      'nope',
      'Prompt template "llama-2-chat": messages must be an array of chat messages, got string',
    ],
  ])('bad messages: %j', (messages, message) => {
    const error = caught(() => renderPrompt('meta-llama/Llama-2-7b-chat-hf', messages as never));
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.message).toBe(message);
  });

  it('bad messages are refused by jinja templates too, before rendering', () => {
    const error = caught(() =>
      renderPrompt('meta-llama/Meta-Llama-3-8B-Instruct', [
        { role: 'user', content: { text: 'x' } },
      ] as never),
    );
    expect(error.message).toBe(
      'Prompt template "llama-3-instruct": messages[0].content must be a string, an array of content parts or null, got object',
    );
  });
});
