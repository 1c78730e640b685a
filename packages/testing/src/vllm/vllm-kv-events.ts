/**
 * The emulator's KV-event publisher (vLLM `--kv-events-config` with the
 * `zmq` publisher): its prefix cache's changes go out as vLLM's batches,
 * sequence-numbered, with a replay socket. Block hashes are sent as vLLM
 * sends them by default (`VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES`): the
 * digest's low 64 bits as an integer. `@switchyard/kv-events` (and with it
 * the ZeroMQ native module) is loaded only when this is turned on.
 */
import type { PrefixCache } from './prefix-cache';

/** `kvEvents` options of the vLLM emulator. */
export interface KvEventsOptions {
  /** PUB address to bind. Default `tcp://127.0.0.1:*` (a free port). */
  endpoint?: string;
  /** ROUTER address for replay requests; `null` for none. Default `tcp://127.0.0.1:*`. */
  replayEndpoint?: string | null;
  /** Topic frame; vLLM's default is empty. */
  topic?: string;
  /** Batches kept for replay. Default 10,000 (vLLM's `buffer_steps`). */
  bufferSteps?: number;
}

/** A running publisher, as the emulator exposes it. */
export interface KvEventsEndpoint {
  /** Where subscribers connect. */
  endpoint: string;
  /** Where replay requests go, when enabled. */
  replayEndpoint: string | undefined;
  close(): Promise<void>;
}

/** Binds the publisher and routes the cache's changes to it. */
export async function startKvEvents(
  cache: PrefixCache,
  options: KvEventsOptions,
): Promise<KvEventsEndpoint> {
  let kv: typeof import('@switchyard/kv-events');
  try {
    kv = await import('@switchyard/kv-events');
  } catch {
    throw new Error(
      'kvEvents needs the optional package @switchyard/kv-events: pnpm add @switchyard/kv-events',
    );
  }
  const publisher = await kv.KvEventPublisher.bind({
    endpoint: options.endpoint ?? 'tcp://127.0.0.1:*',
    ...(options.replayEndpoint === null
      ? {}
      : { replayEndpoint: options.replayEndpoint ?? 'tcp://127.0.0.1:*' }),
    topic: options.topic,
    bufferSteps: options.bufferSteps,
  });
  const external = (hash: Buffer) => hash.readBigUInt64BE(hash.length - 8);
  cache.attach({
    stored: run =>
      publisher.publish([
        {
          type: 'BlockStored',
          blockHashes: run.hashes.map(external),
          parentBlockHash: run.parent ? external(run.parent) : null,
          tokenIds: run.tokenIds,
          blockSize: run.blockSize,
          loraId: run.lora?.id ?? null,
          loraName: run.lora?.name ?? null,
        },
      ]),
    removed: hashes =>
      publisher.publish([{ type: 'BlockRemoved', blockHashes: hashes.map(external) }]),
    cleared: () => publisher.publish([{ type: 'AllBlocksCleared' }]),
  });
  return {
    endpoint: publisher.endpoint,
    replayEndpoint: publisher.replayEndpoint,
    close: () => publisher.close(),
  };
}
