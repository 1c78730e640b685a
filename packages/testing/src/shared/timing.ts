import { setTimeout as delay } from 'node:timers/promises';

/** Latency an emulator adds to generation; both default to none. */
export interface TimingOptions {
  /** Time to first token, in milliseconds. */
  ttftMs?: number;
  /** Pace of the tokens after the first; unset means as fast as possible. */
  tokensPerSecond?: number;
}

/** Waits `ms` on a timer (never a busy loop); resolves at once for 0 or less. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0)) return Promise.resolve();
  return delay(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}

/** Paces the tokens of one response. */
export interface TokenPacer {
  /** Waits before token `index` (0-based): ttft before the first, 1/tps before the others. */
  beforeToken(index: number, signal?: AbortSignal): Promise<void>;
  /** Total time the pacing adds to a response of `tokens` tokens (for non-streams). */
  totalMs(tokens: number): number;
}

/** A pacer for `options`; with nothing configured it never touches a timer. */
export function createTokenPacer(options: TimingOptions = {}): TokenPacer {
  const ttft = Math.max(0, options.ttftMs ?? 0);
  const tps = options.tokensPerSecond ?? 0;
  const gap = tps > 0 ? 1000 / tps : 0;
  return {
    beforeToken(index, signal) {
      return sleep(index === 0 ? ttft : gap, signal);
    },
    totalMs(tokens) {
      return tokens > 0 ? ttft + gap * (tokens - 1) : ttft;
    },
  };
}
