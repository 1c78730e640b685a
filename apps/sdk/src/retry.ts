import { isSwitchyardError, sleep } from '@switchyard/core';

/** Options for {@link withRetries}. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  signal?: AbortSignal;
  /** First backoff in ms; doubles each retry. Default 500. */
  initialDelayMs?: number;
  /** Longest backoff in ms, also the cap on a server's `retry-after`. Default 30 s. */
  maxDelayMs?: number;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not
 * retryable, or has been retried `retries` times. The wait before a retry is
 * the upstream's `retry-after` when it gave one (capped), else exponential
 * backoff with jitter. Returns the result and how many retries it took.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T; retries: number }> {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  for (let retry = 0; ; retry++) {
    try {
      return { value: await attempt(), retries: retry };
    } catch (error) {
      const retryable = isSwitchyardError(error) && error.isRetryable;
      if (!retryable || retry >= options.retries || options.signal?.aborted) throw error;
      const backoff = initial * 2 ** retry * (0.8 + Math.random() * 0.4);
      const delayMs = Math.min(cap, error.retryAfterMs ?? backoff);
      options.onRetry?.({ attempt: retry + 1, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
