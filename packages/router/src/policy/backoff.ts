import { isSwitchyardError } from '@switchyard/core';

const INITIAL_MS = 500;
const MAX_MS = 8_000;
/** An upstream's `retry-after` is honoured up to this; longer asks fall back to backoff. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Wait before retrying a deployment that was already tried: the upstream's
 * `retry-after` when it is between 0 and 60 s, else exponential backoff
 * (0.5 s, 1 s, 2 s … capped at 8 s, with up to 25 % jitter so many clients
 * do not retry in step), never below the router's `retry_after`.
 */
export function backoffMs(args: {
  retryIndex: number;
  error: unknown;
  minMs: number;
  random: () => number;
}): number {
  const asked = isSwitchyardError(args.error) ? args.error.retryAfterMs : undefined;
  let wait: number;
  if (asked !== undefined && asked > 0 && asked <= MAX_RETRY_AFTER_MS) wait = asked;
  else {
    const base = Math.min(MAX_MS, INITIAL_MS * 2 ** args.retryIndex);
    wait = base * (1 - 0.25 * args.random());
  }
  return Math.max(wait, args.minMs);
}

/** Abortable wait, shared with the SDK's retries. */
export { sleep } from '@switchyard/core';
