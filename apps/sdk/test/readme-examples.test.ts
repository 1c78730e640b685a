import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

let vllm: VllmEmulator;
let triton: TritonEmulator;
const envBefore = { ...process.env };

beforeAll(async () => {
  vllm = await startVllmEmulator({
    model: 'facebook/opt-125m',
    servedModelName: [
      'facebook/opt-125m',
      'gpt-oss-120b',
      'your-rerank-model',
      'qwen',
      'togethercomputer/LLaMA-2-7B-32K',
    ],
    reasoningParser: 'openai_gptoss',
  });
  triton = await startTritonEmulator({
    models: [
      { name: 'llama-3-8b-instruct', profile: 'trtllm' },
      { name: 'my-triton-model', profile: 'embedding' },
    ],
  });
});
afterAll(async () => {
  await vllm.close();
  await triton.close();
});
afterEach(() => {
  process.env = { ...envBefore };
  vi.restoreAllMocks();
});

/** Runs an example module as a user would (it prints with console.log) and returns what it printed. */
async function runExample(file: string, env: Record<string, string>): Promise<unknown[]> {
  Object.assign(process.env, env);
  const printed: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(...args);
  });
  await import(`${examplesDir}${file}`);
  return printed;
}

describe('README examples', () => {
  it('shows every example file verbatim', () => {
    for (const file of readdirSync(examplesDir)) {
      expect(readme, file).toContain(readFileSync(`${examplesDir}${file}`, 'utf8').trim());
    }
  });

  it('vllm-completion: chat through hosted_vllm/', async () => {
    const [response] = (await runExample('vllm-completion.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    })) as [{ choices: { message: { content: string } }[] }];
    expect(response.choices[0]?.message.content.length).toBeGreaterThan(0);
    const sent = vllm.requests.entries.at(-1)!;
    expect(sent.body).toMatchObject({
      model: 'facebook/opt-125m',
      temperature: 0.2,
      max_tokens: 80,
    });
  });

  it('vllm-reasoning-effort: forwards reasoning_effort, answers with reasoning_content', async () => {
    const [response] = (await runExample('vllm-reasoning-effort.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    })) as [{ choices: { message: { reasoning_content?: string } }[] }];
    expect(vllm.requests.entries.at(-1)!.body).toMatchObject({
      model: 'gpt-oss-120b',
      reasoning_effort: 'high',
    });
    expect(typeof response.choices[0]?.message.reasoning_content).toBe('string');
  });

  it('vllm-embedding: api base from HOSTED_VLLM_API_BASE', async () => {
    const [response] = (await runExample('vllm-embedding.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    })) as [{ data: { embedding: number[] }[] }];
    expect(response.data).toHaveLength(1);
    expect(response.data[0]?.embedding.length).toBeGreaterThan(0);
  });

  it('vllm-rerank: Cohere-shaped results, top_n honoured', async () => {
    const [response] = (await runExample('vllm-rerank.ts', { HOSTED_VLLM_API_BASE: vllm.url })) as [
      { results: { index: number; relevance_score: number }[] },
    ];
    expect(response.results).toHaveLength(3);
    expect(vllm.requests.entries.at(-1)!.path).toBe('/rerank');
  });

  it('router: the completion itself, its routing in the meta, a stream with its meta', async () => {
    const a = vllm.url;
    const b = `${vllm.url}/v1`;
    const printed = await runExample('router.ts', { GPU_A_API_BASE: a, GPU_B_API_BASE: b });
    const [content, deploymentId, apiBase, retries, attempts, group, streamed] = printed as [
      string,
      string,
      string,
      number,
      { deploymentId: string }[],
      string,
      string,
    ];
    expect(content.length).toBeGreaterThan(0);
    expect([a, b]).toContain(apiBase);
    expect(retries).toBe(0);
    expect(attempts.map(x => x.deploymentId)).toEqual([deploymentId]);
    expect(group).toBe('my-model');
    expect(streamed.length).toBeGreaterThan(0);
    expect(vllm.requests.entries.at(-1)!.body).toMatchObject({ stream: true });
  });

  it('vllm-video-url: a file part holding a video goes upstream as video_url', async () => {
    await runExample('vllm-video-url.ts', { HOSTED_VLLM_API_BASE: vllm.url });
    const body = vllm.requests.entries.at(-1)!.body as {
      messages: { content: { type: string }[] }[];
    };
    expect(body.messages[0]?.content.map(part => part.type)).toEqual(['text', 'video_url']);
  });

  it('vllm-deprecated-prefix: vllm/ calls the server like hosted_vllm/', async () => {
    const [response] = (await runExample('vllm-deprecated-prefix.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    })) as [{ choices: unknown[] }];
    expect(response.choices).toHaveLength(1);
  });

  it('vllm-batch-completion: five results in order', async () => {
    const [list] = (await runExample('vllm-batch-completion.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    })) as [unknown[]];
    expect(list).toHaveLength(5);
    for (const item of list) expect(item).toHaveProperty('choices');
  });

  it('vllm-custom-prompt-template: the registered template renders the prompt', async () => {
    const [prompt] = await runExample('vllm-custom-prompt-template.ts', {
      HOSTED_VLLM_API_BASE: vllm.url,
    });
    expect(prompt).toBe('[INST] Hello, how are you? [/INST]\n');
  });

  it('triton-generate: chat through /generate', async () => {
    const [response] = (await runExample('triton-generate.ts', {
      TRITON_API_BASE: triton.url,
    })) as [{ choices: { message: { content: string } }[] }];
    expect(response.choices[0]?.message.content.length).toBeGreaterThan(0);
    // The model's family (Llama 3) gives the conversation its chat template.
    expect(triton.requests.entries.at(-1)!.body).toMatchObject({
      text_input:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nwho are u?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    });
  });

  it('triton-infer: chat through KServe /infer', async () => {
    const [response] = (await runExample('triton-infer.ts', { TRITON_API_BASE: triton.url })) as [
      { choices: { message: { content: string } }[] },
    ];
    expect(response.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(triton.requests.entries.at(-1)!.path).toBe('/v2/models/llama-3-8b-instruct/infer');
  });

  it('triton-embedding: rows split from the 2-D tensor', async () => {
    const [response] = (await runExample('triton-embedding.ts', {
      TRITON_API_BASE: triton.url,
    })) as [{ data: { embedding: number[] }[] }];
    expect(response.data).toHaveLength(1);
  });
});
