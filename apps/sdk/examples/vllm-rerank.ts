import { rerank } from '@switchyard/sdk';

process.env.HOSTED_VLLM_API_BASE ??= 'http://localhost:8000';
process.env.HOSTED_VLLM_API_KEY ??= ''; // [optional], if your vLLM server requires an API key

const query = 'What is the capital of the United States?';
const documents = [
  'Carson City is the capital city of the American state of Nevada.',
  'The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital is Saipan.',
  'Washington, D.C. is the capital of the United States.',
  'Capital punishment has existed in the United States since before it was a country.',
];

// Every call is asynchronous in TypeScript: this is both `rerank` and `arerank`.
const response = await rerank({
  model: 'hosted_vllm/your-rerank-model',
  query,
  documents,
  top_n: 3,
});
console.log(response);
