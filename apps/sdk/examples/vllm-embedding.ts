import { embedding } from '@switchyard/sdk';

process.env.HOSTED_VLLM_API_BASE ??= 'http://localhost:8000';

const response = await embedding({
  model: 'hosted_vllm/facebook/opt-125m',
  input: ['Hello world'],
});

console.log(response);
