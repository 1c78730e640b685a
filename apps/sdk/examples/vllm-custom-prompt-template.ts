import { completion, registerPromptTemplate, renderPrompt } from '@switchyard/sdk';

// Create your own custom prompt template
registerPromptTemplate({
  model: 'togethercomputer/LLaMA-2-7B-32K',
  roles: {
    system: { pre_message: '[INST] <<SYS>>\n', post_message: '\n<</SYS>>\n [/INST]\n' },
    user: { pre_message: '[INST] ', post_message: ' [/INST]\n' },
    assistant: { pre_message: '\n', post_message: '\n' },
  }, // tell Switchyard how to map the OpenAI messages to this model
});

const messages = [{ role: 'user' as const, content: 'Hello, how are you?' }];

// Where Switchyard builds the prompt itself (Triton, text completions), it uses the template:
console.log(renderPrompt('togethercomputer/LLaMA-2-7B-32K', messages));

// A vLLM server applies the model's own chat template to chat requests.
const response = await completion({
  model: 'vllm/togethercomputer/LLaMA-2-7B-32K',
  messages,
  api_base: process.env.HOSTED_VLLM_API_BASE ?? 'http://localhost:8000',
});
console.log(response.choices[0]?.message.content);
