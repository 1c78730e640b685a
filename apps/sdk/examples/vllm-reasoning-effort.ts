import { completion } from '@switchyard/sdk';

const response = await completion({
  model: 'hosted_vllm/gpt-oss-120b',
  messages: [{ role: 'user', content: 'whats 2 + 2' }],
  reasoning_effort: 'high',
  api_base: process.env.HOSTED_VLLM_API_BASE ?? 'https://hosted-vllm-api.co',
});
console.log(response);
