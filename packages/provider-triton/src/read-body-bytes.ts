import { BadGatewayError, type CallContext, type HttpRequest, Timeout } from '@switchyard/core';

/** Largest `/infer` answer read into memory, as core's JSON reader allows. */
const MAX_BYTES = 32 * 1024 * 1024;

/** Input to {@link postForBytes}. */
export interface PostForBytesOptions {
  request: HttpRequest;
  ctx: Pick<CallContext, 'http' | 'signal' | 'timeoutMs'>;
}

/** A whole answer as bytes, with its headers. */
export interface BytesResponse {
  bytes: Uint8Array;
  headers: Record<string, string>;
}

/**
 * Sends a request and reads the whole answer as bytes. Core's `json()` reads
 * text, which would corrupt the raw tensors of Triton's binary extension, so
 * this goes through `stream()` and keeps core's error mapping. The call's
 * deadline covers the body too, not only the wait for headers.
 */
export async function postForBytes({ request, ctx }: PostForBytesOptions): Promise<BytesResponse> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal?.reason);
  if (ctx.signal?.aborted) onAbort();
  else ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const timeoutMs = ctx.timeoutMs;
  const timer =
    timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(
          () =>
            controller.abort(
              new Timeout({
                message: `Request timed out after ${timeoutMs} ms`,
                provider: 'triton',
                model: request.model,
              }),
            ),
          timeoutMs,
        )
      : undefined;
  try {
    const response = await ctx.http.stream({ ...request, signal: controller.signal });
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > MAX_BYTES) {
        throw new BadGatewayError({
          message: `${request.url}: response body exceeds the ${MAX_BYTES}-byte limit`,
          provider: 'triton',
          model: request.model,
          isRetryable: false,
        });
      }
      chunks.push(chunk);
    }
    return {
      bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
      headers: response.headers,
    };
  } finally {
    if (timer) clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}
