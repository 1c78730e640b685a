import type { AttemptRecord } from '@switchyard/router';
import type { Exchange } from '../server/proxy-context';
import { usageAttributes } from './gen-ai-attributes';
import { outputMessages } from './message-content';
import type { RequestTrace } from './request-trace';
import {
  type Attributes,
  epochMsToUnixNs,
  monotonicToUnixNs,
  type SpanData,
  SpanKind,
  StatusCode,
} from './span-data';
import { newSpanId } from './trace-ids';

/** What the spans need to know of a deployment (worked out once per deployment). */
export interface DeploymentFacts {
  /** The model name the upstream serves (the prefix removed). */
  model: string;
  /** `gen_ai.provider.name`. */
  provider: string;
  /** `server.address` / `server.port` of its `api_base`. */
  address: string | undefined;
  port: number | undefined;
}

/** Inputs of {@link buildSpans}. */
export interface BuildSpansArgs {
  trace: RequestTrace;
  ex: Exchange;
  /** The status the client got (499 when it went away). */
  status: number;
  /** `performance.now()` at the end. */
  endedAt: number;
  deployment(id: string): DeploymentFacts | undefined;
  /** Deployments cooling down when the request ended. */
  cooling: ReadonlySet<string>;
  /** Record upstream error messages (they can quote the prompt: only with content capture). */
  captureContent: boolean;
}

/**
 * The spans of one finished request: a SERVER span for the whole request
 * carrying the GenAI attributes, with an event at the first token, and a
 * CLIENT span per router attempt (which deployment, first try, retry or
 * fallback, how it failed, whether the deployment was left cooling down),
 * whose ids are the ones sent upstream in `traceparent`.
 */
export function buildSpans(args: BuildSpansArgs): SpanData[] {
  const { trace, ex } = args;
  const routing = ex.routing;
  const operation = trace.operation;
  const attributes: Attributes = {
    'http.request.method': ex.req.method ?? 'GET',
    'http.route': ex.route,
    'http.response.status_code': args.status,
    'switchyard.call_id': ex.callId,
  };
  if (operation !== undefined) attributes['gen_ai.operation.name'] = operation;
  Object.assign(attributes, trace.attributes);
  usageAttributes(ex.usage, attributes);
  const reasons = trace.finishReasons.filter(r => r !== undefined);
  if (reasons.length > 0) attributes['gen_ai.response.finish_reasons'] = reasons;
  if (trace.outputTexts !== undefined && trace.outputTexts.length > 0)
    attributes['gen_ai.output.messages'] = outputMessages(trace.outputTexts, trace.finishReasons);
  if (routing) {
    const answered = routing.deploymentId && args.deployment(routing.deploymentId);
    if (answered) attributes['gen_ai.provider.name'] = answered.provider;
    attributes['switchyard.model_group'] = routing.modelGroup;
    if (routing.deploymentId !== undefined)
      attributes['switchyard.deployment.id'] = routing.deploymentId;
    attributes['switchyard.attempted_retries'] = routing.attemptedRetries;
    attributes['switchyard.attempted_fallbacks'] = routing.attemptedFallbacks;
  }
  const failed = ex.errorClass !== undefined || args.status >= 400;
  if (failed) attributes['error.type'] = ex.errorClass ?? String(args.status);
  const model = trace.attributes['gen_ai.request.model'] ?? ex.model;
  const server: SpanData = {
    traceId: trace.traceId,
    spanId: trace.spanId,
    parentSpanId: trace.parentSpanId,
    name:
      operation !== undefined && model !== undefined
        ? `${operation} ${model}`
        : `${ex.req.method} ${ex.route}`,
    kind: SpanKind.SERVER,
    startNs: monotonicToUnixNs(ex.started),
    endNs: monotonicToUnixNs(args.endedAt),
    attributes,
    events: [],
    // A refused request is the client's error, not the server's (HTTP conventions for SERVER spans).
    status:
      failed && (args.status >= 500 || args.status < 400)
        ? { code: StatusCode.ERROR }
        : { code: StatusCode.UNSET },
  };
  if (ex.ttftMs !== undefined) {
    server.events.push({
      name: 'gen_ai.first_token',
      timeNs: monotonicToUnixNs(ex.started + ex.ttftMs),
      attributes: { 'gen_ai.server.time_to_first_token': ex.ttftMs / 1000 },
    });
  }
  const spans = [server];
  const attempts = routing?.attempts ?? [];
  for (let i = 0; i < attempts.length; i++) spans.push(attemptSpan(args, attempts, i));
  return spans;
}

function attemptSpan(
  args: BuildSpansArgs,
  attempts: readonly AttemptRecord[],
  i: number,
): SpanData {
  const { trace } = args;
  const a = attempts[i]!;
  // The i-th upstream call is the i-th attempt; the id check guards against any drift.
  const invoked = trace.invocations[i];
  const spanId = invoked?.deploymentId === a.deploymentId ? invoked.spanId : newSpanId();
  const d = args.deployment(a.deploymentId);
  const kind =
    i === 0 ? 'first' : a.modelGroup !== attempts[i - 1]!.modelGroup ? 'fallback' : 'retry';
  const operation = trace.operation ?? 'call';
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'switchyard.deployment.id': a.deploymentId,
    'switchyard.model_group': a.modelGroup,
    'switchyard.attempt.number': i + 1,
    'switchyard.attempt.kind': kind,
  };
  if (d) {
    attributes['gen_ai.provider.name'] = d.provider;
    attributes['gen_ai.request.model'] = d.model;
    if (d.address !== undefined) attributes['server.address'] = d.address;
    if (d.port !== undefined) attributes['server.port'] = d.port;
  }
  const start = epochMsToUnixNs(a.startedAt);
  const span: SpanData = {
    traceId: trace.traceId,
    spanId,
    parentSpanId: trace.spanId,
    name: `${operation} ${d?.model ?? a.deploymentId}`,
    kind: SpanKind.CLIENT,
    startNs: start,
    endNs: start + BigInt(Math.round(a.durationMs * 1000)) * 1000n,
    attributes,
    events: [],
    status: { code: StatusCode.UNSET },
  };
  if (a.cancelled) attributes['switchyard.attempt.cancelled'] = true;
  if (a.error) {
    attributes['error.type'] = a.error.name;
    if (a.error.status !== undefined) attributes['http.response.status_code'] = a.error.status;
    if (args.cooling.has(a.deploymentId)) attributes['switchyard.deployment.cooling_down'] = true;
    span.status = args.captureContent
      ? { code: StatusCode.ERROR, message: a.error.message }
      : { code: StatusCode.ERROR };
  }
  return span;
}
