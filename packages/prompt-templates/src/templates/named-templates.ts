import { checkMessages, contentText, contentTexts } from '../message-content';
import type { PromptMessage } from '../types';
import { customPrompt } from './custom-prompt';

/** A LiteLLM string template: messages in, prompt out. */
export type StringTemplateFn = (messages: readonly PromptMessage[]) => string;

/** `default_pt`: every content joined by one space (Bloom, T5, base models). */
export function defaultPrompt(messages: readonly PromptMessage[]): string {
  return contentTexts('default', messages).join(' ');
}

/** `llama_2_chat_pt`: Llama 2 chat and CodeLlama instruct. */
export function llama2ChatPrompt(messages: readonly PromptMessage[]): string {
  return customPrompt(
    {
      roles: {
        system: { preMessage: '[INST] <<SYS>>\n', postMessage: '\n<</SYS>>\n [/INST]\n' },
        user: { preMessage: '[INST] ', postMessage: ' [/INST]\n' },
        assistant: { postMessage: '\n' },
      },
      bosToken: '<s>',
      eosToken: '</s>',
    },
    messages,
    'llama-2-chat',
  );
}

/** `mistral_instruct_pt` (LiteLLM uses it for Bedrock and watsonx Mistral). */
export function mistralInstructPrompt(messages: readonly PromptMessage[]): string {
  return customPrompt(
    {
      roles: {
        system: { preMessage: '[INST] \n', postMessage: ' [/INST]\n' },
        user: { preMessage: '[INST] ', postMessage: ' [/INST]\n' },
        assistant: { preMessage: ' ', postMessage: '</s> ' },
      },
      initialPromptValue: '<s>',
    },
    messages,
    'mistral-instruct',
  );
}

/** `alpaca_pt`: the MythoMax / MythoMix / MythoLogic L2 13B family. */
export function alpacaPrompt(messages: readonly PromptMessage[]): string {
  return customPrompt(
    {
      roles: {
        system: { preMessage: '### Instruction:\n', postMessage: '\n\n' },
        user: { preMessage: '### Instruction:\n', postMessage: '\n\n' },
        assistant: { preMessage: '### Response:\n', postMessage: '\n\n' },
      },
      bosToken: '<s>',
      eosToken: '</s>',
    },
    messages,
    'alpaca',
  );
}

/** `ibm_granite_pt` (LiteLLM's watsonx Granite chat), trimmed as LiteLLM trims it. */
export function ibmGranitePrompt(messages: readonly PromptMessage[]): string {
  return customPrompt(
    {
      roles: {
        system: { preMessage: '<|system|>\n', postMessage: '\n' },
        user: { preMessage: '<|user|>\n', postMessage: '\n' },
        assistant: { preMessage: '<|assistant|>\n', postMessage: '\n' },
      },
      finalPromptValue: '<|assistant|>\n',
    },
    messages,
    'ibm-granite',
  ).trim();
}

/**
 * Builds a template from a per-role prefix/suffix table; roles not in the
 * table are skipped, as LiteLLM's `if/elif` chains skip them.
 */
function rolePrompt(
  name: string,
  table: Readonly<Record<string, readonly [string, string]>>,
): StringTemplateFn {
  return messages => {
    const checked = checkMessages(name, messages);
    let prompt = '';
    for (let index = 0; index < checked.length; index++) {
      const message = checked[index]!;
      const text = contentText(name, message, index) ?? '';
      const entry = Object.hasOwn(table, message.role) ? table[message.role] : undefined;
      if (entry) prompt += entry[0] + text + entry[1];
    }
    return prompt;
  };
}

/** `falcon_chat_pt` (only `tiiuae/falcon-180B-chat`, unreachable from matching; kept for direct use). */
export const falconChatPrompt: StringTemplateFn = rolePrompt('falcon-chat', {
  system: ['System: ', ''],
  user: ['User: ', ''],
  assistant: ['Falcon: ', ''],
});

/** `mpt_chat_pt`: ChatML without a newline after the role. */
export const mptChatPrompt: StringTemplateFn = rolePrompt('mpt-chat', {
  system: ['<|im_start|>system', '<|im_end|>\n'],
  user: ['<|im_start|>user', '<|im_end|>\n'],
  assistant: ['<|im_start|>assistant', '<|im_end|>\n'],
});

/** `wizardcoder_pt`. */
export const wizardcoderPrompt: StringTemplateFn = rolePrompt('wizardcoder', {
  system: ['', '\n\n'],
  user: ['### Instruction:\n', '\n\n'],
  assistant: ['### Response:\n', '\n\n'],
});

/** `phind_codellama_pt`. */
export const phindCodellamaPrompt: StringTemplateFn = rolePrompt('phind-codellama', {
  system: ['### System Prompt\n', '\n\n'],
  user: ['### User Message\n', '\n\n'],
  assistant: ['### Assistant\n', '\n\n'],
});

/**
 * `falcon_instruct_pt`: the system text bare, every other message as
 * `role:content\n\n` with `\r\n` → `\n` and then `\n\n` → `\n` inside it.
 */
export function falconInstructPrompt(messages: readonly PromptMessage[]): string {
  const checked = checkMessages('falcon-instruct', messages);
  let prompt = '';
  for (let index = 0; index < checked.length; index++) {
    const message = checked[index]!;
    const text = contentText('falcon-instruct', message, index) ?? '';
    if (message.role === 'system') {
      prompt += text;
    } else {
      prompt += `${message.role}:${text.replaceAll('\r\n', '\n').replaceAll('\n\n', '\n')}\n\n`;
    }
  }
  return prompt;
}
