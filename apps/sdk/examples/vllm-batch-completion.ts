import { batchCompletion } from '@switchyard/sdk';

const modelName = 'facebook/opt-125m';
const provider = 'vllm';
const messages = Array.from({ length: 5 }, () => [
  { role: 'user' as const, content: "Hey, how's it going" },
]);

const responseList = await batchCompletion({
  model: modelName,
  custom_llm_provider: provider, // can easily switch to another provider
  messages,
  temperature: 0.2,
  max_tokens: 80,
  api_base: process.env.HOSTED_VLLM_API_BASE ?? 'http://localhost:8000',
});
console.log(responseList);
