import { completion } from '@switchyard/sdk';

const server = process.env.TRITON_API_BASE ?? 'http://localhost:8000';

// Use the `triton/` prefix to route to a Triton server
const response = await completion({
  model: 'triton/llama-3-8b-instruct',
  messages: [{ role: 'user', content: 'who are u?' }],
  max_tokens: 10,
  api_base: `${server}/v2/models/llama-3-8b-instruct/infer`,
  triton_backend: 'trtllm', // a TensorRT-LLM ensemble: batched tensors, [batch, 1]
});
console.log(response);
