import { readFileSync } from 'node:fs';
import { getDefaultHttpClient } from '@switchyard/core';
import { startTritonEmulator, type TritonEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as provider from '../src/index';

/**
 * Runs each TypeScript example of the README as written — only its imports
 * are bound to this package's sources and its URLs pointed at the emulator.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/### (Triton [^\n]+)\n\n```ts[^\n]*\n([\s\S]*?)```/g)].map(
  match => ({
    title: match[1]!,
    code: match[2]!,
  }),
);

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

let emu: TritonEmulator;

beforeAll(async () => {
  emu = await startTritonEmulator({
    models: [
      // First model: the one the bare /generate route serves.
      { name: 'llama-3-8b-instruct', profile: 'trtllm', scriptedText: 'I am an AI assistant' },
      {
        name: 'llama-infer',
        profile: 'generic',
        generic: {
          inputs: [
            { name: 'text_input', datatype: 'BYTES', dims: [1] },
            { name: 'max_tokens', datatype: 'INT32', dims: [1] },
          ],
          outputs: [{ name: 'text_output', datatype: 'BYTES', dims: [1] }],
          compute: inputs => [
            {
              name: 'text_output',
              datatype: 'BYTES',
              shape: [1],
              data: [`I read: ${inputs.text_input?.data[0]}`],
            },
          ],
        },
      },
      { name: 'my-triton-model', profile: 'embedding', dimensions: 4 },
    ],
  });
});

afterAll(() => emu.close());

/** Where each README URL points on the emulator. */
function pointAtEmulator(code: string): string {
  return code
    .replace("'http://localhost:8000/generate'", `'${emu.url}/generate'`)
    .replace("'http://localhost:8000/infer'", `'${emu.url}/v2/models/llama-infer/infer'`)
    .replace(
      "'https://your-triton-api-base/triton/embeddings'",
      `'${emu.url}/v2/models/my-triton-model/infer'`,
    );
}

async function run(code: string): Promise<unknown[]> {
  const printed: unknown[] = [];
  const body = pointAtEmulator(code)
    .split('\n')
    .filter(line => !line.startsWith('import '))
    .join('\n');
  const fn = new AsyncFunction('tritonProvider', 'getDefaultHttpClient', 'console', body);
  await fn(provider.tritonProvider, getDefaultHttpClient, {
    log: (value: unknown) => printed.push(value),
  });
  return printed;
}

describe('README examples', () => {
  it('has the three examples of the seed', () => {
    expect(examples.map(e => e.title)).toEqual([
      'Triton `/generate` — chat completion',
      'Triton `/infer` — chat completion',
      'Triton `/embeddings` — embedding',
    ]);
  });

  it('/generate example: who are u? with max_tokens 10', async () => {
    const printed = await run(examples[0]!.code);
    expect(emu.requests.entries.at(-1)).toMatchObject({
      path: '/generate',
      body: { parameters: { max_tokens: 10 } },
    });
    expect(printed).toEqual(['I am an AI assistant']);
  });

  it('/infer example', async () => {
    const printed = await run(examples[1]!.code);
    const body = emu.requests.entries.at(-1)?.body as {
      inputs: Array<{ name: string; data: unknown[] }>;
    };
    expect(body.inputs.find(input => input.name === 'max_tokens')?.data).toEqual([10]);
    expect(printed[0]).toMatch(/^I read: .*who are u\?/s);
  });

  it('/embeddings example', async () => {
    const printed = await run(examples[2]!.code);
    expect(emu.requests.entries.at(-1)?.body).toEqual({
      inputs: [
        { name: 'input_text', shape: [1], datatype: 'BYTES', data: ['good morning from litellm'] },
      ],
    });
    expect(printed[0]).toHaveLength(4);
  });
});
