import { collectFinishReasons, requestAttributes, responseIdentity } from './gen-ai-attributes';
import { answerTexts, appendChunkTexts, inputMessages } from './message-content';
import type { Attributes } from './span-data';
import { newSpanId, newTraceId, type TraceParent } from './trace-ids';

/** Where a request body carries its trace to the router's upstream calls. */
const TRACE = Symbol('switchyard.trace');

/** The trace a request body carries (see {@link RequestTrace.request}), if any. */
export function traceOfRequest(body: Record<string, unknown>): RequestTrace | undefined {
  return (body as { [TRACE]?: RequestTrace })[TRACE];
}

/** One upstream call as the invoke hook saw it: which deployment, under which span id. */
export interface Invocation {
  deploymentId: string;
  spanId: string;
}

/**
 * What tracing learns about one request while it runs: its ids, the
 * GenAI attributes of the request and the answer, and the span id each
 * upstream call was sent with. Turned into spans when the request ends
 * (see `buildSpans`); nothing here allocates per streamed chunk unless
 * content capture is on.
 */
export class RequestTrace {
  readonly traceId: string;
  /** The proxy's span for the whole request. */
  readonly spanId: string;
  /** The client's span, when it sent a `traceparent`. */
  readonly parentSpanId: string | undefined;
  /** The client's `tracestate`, passed upstream unchanged. */
  readonly traceState: string | undefined;
  /** The parent's sampled flag (a new trace is sampled): unsampled traces are propagated, not exported. */
  readonly sampled: boolean;
  /** `gen_ai.operation.name`, once the route said what it is. */
  operation: string | undefined = undefined;
  /** GenAI attributes of the request and the answer. */
  readonly attributes: Attributes = {};
  /** Finish reasons by choice index. */
  readonly finishReasons: string[] = [];
  /** Upstream calls in the order they were made. */
  readonly invocations: Invocation[] = [];
  /** Completion text by choice index; only when content capture is on. */
  readonly outputTexts: string[] | undefined;
  #sawFirstChunk = false;

  constructor(
    parent: TraceParent | undefined,
    traceState: string | undefined,
    captureContent: boolean,
  ) {
    this.traceState = parent === undefined ? undefined : traceState;
    this.traceId = parent?.traceId ?? newTraceId();
    this.spanId = newSpanId();
    this.parentSpanId = parent?.spanId;
    this.sampled = parent?.sampled ?? true;
    this.outputTexts = captureContent ? [] : undefined;
  }

  /**
   * The validated request body of an inference route, which from now on
   * carries this trace to the upstream calls (under a symbol: JSON and the
   * SDK's key loops never see it).
   */
  request(body: Record<string, unknown>): void {
    (body as { [TRACE]?: RequestTrace })[TRACE] = this;
    requestAttributes(body, this.attributes);
    if (this.outputTexts !== undefined) {
      const input = inputMessages(body);
      if (input !== undefined) this.attributes['gen_ai.input.messages'] = input;
    }
  }

  /** A whole (non-streamed) answer. */
  response(data: unknown): void {
    responseIdentity(data, this.attributes);
    collectFinishReasons(data, this.finishReasons);
    if (this.outputTexts !== undefined) this.outputTexts.push(...answerTexts(data));
  }

  /** One streamed chunk. */
  chunk(chunk: unknown): void {
    if (!this.#sawFirstChunk) {
      this.#sawFirstChunk = true;
      responseIdentity(chunk, this.attributes);
    }
    collectFinishReasons(chunk, this.finishReasons);
    if (this.outputTexts !== undefined) appendChunkTexts(chunk, this.outputTexts);
  }

  /** Records an upstream call about to be made; returns the span id it carries upstream. */
  invoke(deploymentId: string): string {
    const spanId = newSpanId();
    this.invocations.push({ deploymentId, spanId });
    return spanId;
  }
}
