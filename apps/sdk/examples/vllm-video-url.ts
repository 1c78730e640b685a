import { completion } from '@switchyard/sdk';

const messages = [
  {
    role: 'user' as const,
    content: [
      { type: 'text' as const, text: 'Summarize the following video' },
      { type: 'file' as const, file: { file_id: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' } },
    ],
  },
];

// call vllm: the `file` part that holds a video is sent to vLLM as a `video_url` part
process.env.HOSTED_VLLM_API_BASE ??= 'https://hosted-vllm-api.co';
process.env.HOSTED_VLLM_API_KEY ??= ''; // [optional], if your vLLM server requires an API key
const response = await completion({
  model: 'hosted_vllm/qwen', // pass the vllm model name
  messages,
});

console.log(response);
