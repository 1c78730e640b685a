import { completion } from '@switchyard/sdk';

const messages = [{ role: 'user' as const, content: 'Hello, how are you?' }];

const response = await completion({
  model: 'hosted_vllm/facebook/opt-125m', // pass the vllm model name
  messages,
  api_base: process.env.HOSTED_VLLM_API_BASE ?? 'https://hosted-vllm-api.co',
  temperature: 0.2,
  max_tokens: 80,
});

console.log(response);
