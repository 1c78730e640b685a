import { expect } from 'vitest';
import { MASTER_KEY, type Stack, type StackOptions, startStack } from './helpers';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

/** OTLP's `Span.SpanKind` numbers the tests look for. */
export const SERVER = 2;
export const CLIENT = 3;
/** OTLP's `Status.StatusCode.ERROR`. */
export const ERROR = 2;

/** A proxy with tracing on and the OTLP receiver it exports to, both on loopback. */
export interface TracedStack {
  receiver: OtlpReceiver;
  stack: Stack;
  close(): Promise<void>;
}

/** Options for {@link startTracedStack}. */
export interface TracedStackOptions {
  /**
   * `OTEL_*` variables merged over the defaults (the receiver's URL as
   * `OTEL_EXPORTER_OTLP_ENDPOINT`, a 20 ms batch delay); a function gets the receiver's URL.
   */
  env?: Record<string, string> | ((receiverUrl: string) => Record<string, string>);
  /** `litellm_settings` (default `{ callbacks: ['otel'], num_retries: 0 }`). */
  litellmSettings?: Record<string, unknown>;
  /** No master key: no store to open, the proxy starts fast (for tests about the exporter alone). */
  keyless?: boolean;
  /** The rest of the stack's options (deployments, other config sections). */
  stack?: Omit<StackOptions, 'env' | 'masterKey'>;
}

/**
 * Starts an OTLP receiver, then a stack whose proxy has `callbacks: ["otel"]`
 * and exports to that receiver (protobuf unless `env` says otherwise).
 */
export async function startTracedStack(options: TracedStackOptions = {}): Promise<TracedStack> {
  const receiver = await OtlpReceiver.start();
  const env = typeof options.env === 'function' ? options.env(receiver.url) : options.env;
  try {
    const stack = await startStack({
      ...options.stack,
      masterKey: options.keyless ? undefined : MASTER_KEY,
      extra: {
        ...options.stack?.extra,
        litellm_settings: options.litellmSettings ?? { callbacks: ['otel'], num_retries: 0 },
      },
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '20', ...env },
    });
    return {
      receiver,
      stack,
      async close() {
        await stack.close();
        await receiver.close();
      },
    };
  } catch (error) {
    await receiver.close();
    throw error;
  }
}

/** The spans of one trace, once its server span and `attempts` attempt spans arrived. */
export async function traceOf(
  receiver: OtlpReceiver,
  traceId: string,
  attempts = 1,
): Promise<{ server: ReceivedSpan; attempts: ReceivedSpan[] }> {
  const spans = await receiver.waitFor(
    all => all.filter(s => s.traceId === traceId).length >= 1 + attempts,
  );
  const mine = spans.filter(s => s.traceId === traceId);
  const server = mine.find(s => s.kind === SERVER)!;
  return { server, attempts: mine.filter(s => s.kind === CLIENT) };
}

/** The `traceparent` an upstream request carried, checked for W3C form and split into its fields. */
export function traceparentOf(entry: { headers: Record<string, string> }): string[] {
  const header = entry.headers.traceparent;
  expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  return header!.split('-');
}
