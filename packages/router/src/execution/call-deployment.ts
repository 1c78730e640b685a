import {
  type ProviderOperation,
  type ProviderResponse,
  type ProviderStream,
  Timeout,
} from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import type { Invoke } from '../invoke';

/** One call on one deployment. */
export interface CallArgs {
  invoke: Invoke;
  deployment: Deployment;
  operation: ProviderOperation;
  request: Record<string, unknown>;
  /** For non-streaming calls the whole call; for streams, until the first chunk. */
  timeoutMs: number | undefined;
  stream: boolean;
  signal: AbortSignal | undefined;
}

/** A stream that produced its first chunk (or ended before any). */
export interface StartedStream {
  headers: Record<string, string>;
  first: IteratorResult<unknown>;
  iterator: AsyncIterator<unknown>;
  /** Stops following the caller's signal; call when the stream is over. */
  release(): void;
}

/**
 * Runs `invoke` under the router's own deadline. The deadline is enforced
 * here as well as handed to `invoke`, so an `invoke` that ignores it cannot
 * hang the request. For streams the deadline runs until the first chunk: a
 * stream that fails or stays silent before it is an ordinary failed attempt
 * (retried, or fallen back from); after it, errors reach the consumer.
 */
export async function callDeployment(
  args: CallArgs,
): Promise<ProviderResponse<unknown> | StartedStream> {
  if (!(args.timeoutMs !== undefined && args.timeoutMs > 0 && Number.isFinite(args.timeoutMs))) {
    return callWithoutDeadline(args);
  }
  const controller = new AbortController();
  const outer = args.signal;
  const onOuterAbort = () => fail(outer?.reason);
  let rejectDeadline: (reason: unknown) => void = () => {};
  const deadline = new Promise<never>((_, reject) => {
    rejectDeadline = reject;
  });
  // The race below consumes it; this only keeps an unraced rejection from being reported.
  deadline.catch(() => {});
  function fail(reason: unknown): void {
    // Settle our race first, then abort: the abort's own rejection must not win the race.
    rejectDeadline(reason);
    controller.abort(reason);
  }
  let timer: NodeJS.Timeout | undefined;
  if (args.timeoutMs !== undefined && args.timeoutMs > 0 && Number.isFinite(args.timeoutMs)) {
    const ms = args.timeoutMs;
    timer = setTimeout(() => {
      const what = args.stream ? 'sent no first chunk' : 'did not answer';
      fail(
        new Timeout({
          message: `Deployment ${args.deployment.id} (${args.deployment.model}) ${what} within ${ms} ms`,
          model: args.deployment.model,
        }),
      );
    }, ms);
  }
  if (outer?.aborted) fail(outer.reason);
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  const release = () => outer?.removeEventListener('abort', onOuterAbort);

  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const result = await Promise.race([
      args.invoke({
        deployment: args.deployment,
        operation: args.operation,
        request: args.request,
        signal: controller.signal,
        timeoutMs: args.timeoutMs,
      }),
      deadline,
    ]);
    if (!args.stream) {
      clearTimeout(timer);
      release();
      return result as ProviderResponse<unknown>;
    }
    const started = result as ProviderStream<unknown>;
    iterator = started.stream[Symbol.asyncIterator]();
    const first = await Promise.race([iterator.next(), deadline]);
    clearTimeout(timer);
    return { headers: started.headers, first, iterator, release };
  } catch (error) {
    clearTimeout(timer);
    release();
    if (iterator?.return) iterator.return().catch(() => {});
    throw error;
  }
}

/** Tells a started stream from a response. */
/** A signal that never fires, for calls whose caller gave none. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * The same call when there is no deadline: the caller's own signal is all
 * there is to follow, so no controller, timer or race is paid for per call.
 */
async function callWithoutDeadline(
  args: CallArgs,
): Promise<ProviderResponse<unknown> | StartedStream> {
  const result = await args.invoke({
    deployment: args.deployment,
    operation: args.operation,
    request: args.request,
    signal: args.signal ?? NEVER_ABORTED,
    timeoutMs: undefined,
  });
  if (!args.stream) return result as ProviderResponse<unknown>;
  const started = result as ProviderStream<unknown>;
  const iterator = started.stream[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    return { headers: started.headers, first, iterator, release: () => {} };
  } catch (error) {
    if (iterator.return) iterator.return().catch(() => {});
    throw error;
  }
}

export function isStartedStream(
  value: ProviderResponse<unknown> | StartedStream,
): value is StartedStream {
  return 'iterator' in value;
}
