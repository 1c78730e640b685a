import { completion } from '@switchyard/sdk';

const messages = [{ role: 'user' as const, content: 'Hello, how are you?' }];

// `vllm/` is deprecated: Node has no in-process vLLM, so it calls a vLLM server
// exactly like `hosted_vllm/` (and warns once). It needs the server's address.
const response = await completion({
  model: 'vllm/facebook/opt-125m', // a vllm prefix: custom_llm_provider == vllm
  messages,
  api_base: process.env.HOSTED_VLLM_API_BASE ?? 'http://localhost:8000',
  temperature: 0.2,
  max_tokens: 80,
});

console.log(response);
