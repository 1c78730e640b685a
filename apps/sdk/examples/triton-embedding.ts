import { embedding } from '@switchyard/sdk';

const server = process.env.TRITON_API_BASE ?? 'https://your-triton-api-base';

// Use the `triton/` prefix to route to a Triton server
const response = await embedding({
  model: 'triton/my-triton-model',
  api_base: `${server}/v2/models/my-triton-model/infer`, // the endpoint you want Switchyard to call
  input: ['good morning from switchyard'],
});
console.log(response);
