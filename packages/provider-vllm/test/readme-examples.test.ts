import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** The requests each `ts` block of the README must make, in README order. */
const EXPECTED: { name: string; paths: string[]; model: string }[] = [
  { name: 'quick start', paths: ['/v1/chat/completions'], model: 'facebook/opt-125m' },
  { name: 'reasoning effort', paths: ['/v1/chat/completions'], model: 'gpt-oss-120b' },
  { name: 'embeddings', paths: ['/v1/embeddings'], model: 'facebook/opt-125m' },
  { name: 'rerank', paths: ['/rerank'], model: 'your-rerank-model' },
  { name: 'video url', paths: ['/v1/chat/completions'], model: 'qwen' },
  { name: 'streaming', paths: ['/v1/chat/completions'], model: 'facebook/opt-125m' },
  { name: 'vllm/ prefix', paths: ['/v1/chat/completions'], model: 'facebook/opt-125m' },
  { name: 'batch', paths: Array(5).fill('/v1/chat/completions'), model: 'facebook/opt-125m' },
  { name: 'prompt templates', paths: ['/v1/completions'], model: 'facebook/opt-125m' },
];

const README_BASE = 'http://localhost:8000';
const ENV_KEYS = ['HOSTED_VLLM_API_BASE', 'HOSTED_VLLM_API_KEY'] as const;

let emulator: VllmEmulator;
let dir: string;
let blocks: string[];
beforeAll(async () => {
  emulator = await startVllmEmulator({
    servedModelName: ['facebook/opt-125m', 'gpt-oss-120b', 'your-rerank-model', 'qwen'],
    reasoningParser: 'openai_gptoss',
  });
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(match => match[1]!);
  // The workspace aliases resolve the examples’ imports wherever the files are.
  dir = await mkdtemp(join(tmpdir(), 'provider-vllm-readme-'));
});
afterAll(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('README examples', () => {
  it('has one expectation per ts block', () => {
    expect(blocks).toHaveLength(EXPECTED.length);
  });

  it.each(EXPECTED.map((expected, index) => ({ ...expected, index })))(
    'runs "$name" against the emulator',
    async ({ index, paths, model }) => {
      const code = blocks[index]!.replaceAll(README_BASE, emulator.url);
      expect(code).not.toContain('localhost');
      const file = join(dir, `example-${index}.ts`);
      await writeFile(file, code);
      const saved = ENV_KEYS.map(key => process.env[key]);
      const logged: unknown[][] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args) => void logged.push(args));
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const before = emulator.requests.entries.length;
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        log.mockRestore();
        write.mockRestore();
        ENV_KEYS.forEach((key, i) => {
          if (saved[i] === undefined) delete process.env[key];
          else process.env[key] = saved[i];
        });
      }
      const made = emulator.requests.entries.slice(before);
      expect(made.map(entry => entry.path)).toEqual(paths);
      expect(made.every(entry => entry.status === 200)).toBe(true);
      expect(made.every(entry => (entry.body as { model?: string }).model === model)).toBe(true);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.flat().some(value => value !== undefined && value !== '')).toBe(true);
    },
  );
});
