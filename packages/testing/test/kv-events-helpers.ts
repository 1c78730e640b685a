/**
 * Helpers shared by the vLLM emulator tests that read its KV events: a
 * subscriber that collects every published event, with a way to wait until
 * the events seen so far satisfy a check (woken by each batch, no polling).
 */
import { type KvCacheEvent, KvEventSubscriber } from '@switchyard/kv-events';
import type { VllmEmulator } from '../src/index';

/** What {@link followKvEvents} gives: the events so far, and a wait on them. */
export interface KvEventLog {
  readonly events: KvCacheEvent[];
  /** Resolves once `check()` holds, re-checking after each batch arrives. */
  until(check: () => boolean): Promise<void>;
}

/**
 * Subscribes to `emu`'s KV events (live and replay endpoints); the
 * subscriber is handed to `track` so the test closes it afterwards.
 */
export function followKvEvents(
  emu: VllmEmulator,
  track: (closable: { close(): unknown }) => void,
): KvEventLog {
  const events: KvCacheEvent[] = [];
  const waiters: (() => void)[] = [];
  const sub = new KvEventSubscriber({
    endpoint: emu.kvEvents!.endpoint,
    replayEndpoint: emu.kvEvents!.replayEndpoint,
    handler: {
      onBatch: batch => {
        events.push(...batch.events);
        for (const w of waiters.splice(0)) w();
      },
      onReset: () => undefined,
    },
  });
  track(sub);
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise<void>(resolve => waiters.push(resolve));
  };
  return { events, until };
}
