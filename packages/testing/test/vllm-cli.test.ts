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

  it('rejects a bad option value with a message naming it', async () => {
    await expect(runVllmCli(['--error-shape', 'weird'])).rejects.toThrow(
      /--error-shape must be one of current, legacy/,
    );
  });
});
