/** `switchyard-emulator vllm`, run in-process from the sources. */
import { describe, expect, it } from 'vitest';
import { runVllmCli } from '../src/index';

describe('vllm CLI', () => {
  it('starts, serves, and stops cleanly on SIGTERM', async () => {
    const done = runVllmCli(['--port', '0', '--served-model-name', 'demo', '--api-key', 'k']);
    // runVllmCli prints the URL; read it from the process's stdout writes.
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const url = await new Promise<string>(resolve => {
      process.stdout.write = ((chunk: string) => {
        writes.push(String(chunk));
        const match = /listening on (\S+)/.exec(String(chunk));
        if (match) resolve(match[1]!);
        return true;
      }) as typeof process.stdout.write;
    });
    try {
      const models = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer k' } });
      expect(((await models.json()) as { data: { id: string }[] }).data[0]!.id).toBe('demo');
      process.emit('SIGTERM');
      await done;
      expect(writes.join('')).toContain('vLLM emulator stopped');
    } finally {
      process.stdout.write = original;
    }
  });

  it('serves --lora-modules adapters and, with the flag, the runtime load route', async () => {
    const done = runVllmCli([
      '--port',
      '0',
      '--lora-modules',
      'sql-lora=/adapters/sql',
      '--lora-modules',
      '{"name":"poem-lora","path":"/adapters/poem"}',
      '--allow-runtime-lora-updating',
    ]);
    const original = process.stdout.write.bind(process.stdout);
    const url = await new Promise<string>(resolve => {
      process.stdout.write = ((chunk: string) => {
        const match = /listening on (\S+)/.exec(String(chunk));
        if (match) resolve(match[1]!);
        return true;
      }) as typeof process.stdout.write;
    });
    try {
      const load = await fetch(`${url}/v1/load_lora_adapter`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lora_name: 'math-lora', lora_path: '/adapters/math' }),
      });
      expect(load.status).toBe(200);
      const models = (await (await fetch(`${url}/v1/models`)).json()) as {
        data: { id: string; parent: string | null }[];
      };
      expect(models.data.map(m => [m.id, m.parent])).toEqual([
        ['facebook/opt-125m', null],
        ['sql-lora', 'facebook/opt-125m'],
        ['poem-lora', 'facebook/opt-125m'],
        ['math-lora', 'facebook/opt-125m'],
      ]);
    } finally {
      process.emit('SIGTERM');
      await done;
      process.stdout.write = original;
    }
  });

  it('rejects a --lora-modules value that is not NAME=PATH', async () => {
    await expect(runVllmCli(['--lora-modules', 'just-a-name'])).rejects.toThrow(
      /--lora-modules must be NAME=PATH, got "just-a-name"/,
    );
  });

  it('rejects a bad option value with a message naming it', async () => {
    await expect(runVllmCli(['--error-shape', 'weird'])).rejects.toThrow(
      /--error-shape must be one of current, legacy/,
    );
  });
});
