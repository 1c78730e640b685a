import type { VllmEmulator } from '@switchyard/testing';
import type { Router } from '../src/index';

/** Sums each `/metrics` series of an emulator by name (labels dropped). */
export async function scrape(emulator: { url: string }): Promise<Record<string, number>> {
  const text = await (await fetch(`${emulator.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const brace = line.indexOf('{');
    const name = brace === -1 ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace);
    out[name] = (out[name] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

/** Prefix-cache hit tokens an emulator reports. */
export async function prefixHits(emulator: VllmEmulator): Promise<number> {
  return (await scrape(emulator))['vllm:prefix_cache_hits_total'] ?? 0;
}

/** A long distinct text of `n` words. */
export const words = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

/** Opens a routed stream and reads its first chunk, so it stays in flight until released. */
export async function holdStream(
  router: Router,
  request: Record<string, unknown>,
): Promise<{ deploymentId: string; release: () => Promise<void> }> {
  const res = await router.completionStream({ ...request, stream: true } as never);
  const iterator = res.stream[Symbol.asyncIterator]();
  return {
    deploymentId: res.routing.deploymentId!,
    release: async () => {
      await iterator.return?.();
    },
  };
}
