import { getResponseMeta, Router } from '@switchyard/sdk';

const router = new Router({
  model_list: [
    {
      model_name: 'my-model',
      litellm_params: {
        model: 'hosted_vllm/facebook/opt-125m',
        api_base: process.env.GPU_A_API_BASE ?? 'http://gpu-a:8000',
      },
    },
    {
      model_name: 'my-model',
      litellm_params: {
        model: 'hosted_vllm/facebook/opt-125m',
        api_base: process.env.GPU_B_API_BASE ?? 'http://gpu-b:8000',
      },
    },
  ],
  routing_strategy: 'simple-shuffle',
  num_retries: 2,
});

// The chat.completion itself, as completion() answers it…
const response = await router.completion({
  model: 'my-model',
  messages: [{ role: 'user', content: 'Hi' }],
});
console.log(response.choices[0]?.message.content);

// …and what the router did, in its meta: the deployment that answered,
// retries, fallbacks, and every attempt with its error and cooldown.
const meta = getResponseMeta(response);
console.log(meta?.deploymentId, meta?.apiBase, meta?.attemptedRetries, meta?.routing?.attempts);

// Streams too: the same stream completion({ stream: true }) gives, with its meta.
const stream = await router.completion({
  model: 'my-model',
  messages: [{ role: 'user', content: 'Count to three.' }],
  stream: true,
});
let text = '';
for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
console.log(getResponseMeta(stream)?.modelGroup, text);

await router.close();
