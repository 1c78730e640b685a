import { ContentPolicyViolationError, isSwitchyardError, Timeout } from '@switchyard/core';
import type { ModelGroup } from '../deployments/model-registry';
import { backoffMs, sleep } from '../policy/backoff';
import { classifyFailure } from '../policy/failure-policy';
import { type AttemptRecord, attachRouting } from '../routing-info';
import { selectDeployment } from '../selection/select-deployment';
import { recordFailure, recordSuccess, totalTokensOf } from './bookkeeping';
import { callDeployment, isStartedStream } from './call-deployment';
import { routedStream } from './routed-stream';
import type { GroupOutcome, RunContext } from './run-context';

/**
 * Serves a request from one model group with its retry budget. Each retry
 * goes to a deployment not tried yet while a healthy one exists (at once, no
 * backoff); only when every healthy deployment was tried does it back off and
 * reuse one. 401 / 403 / 404 move on to another untried deployment, never
 * back to the one that answered it. Request errors (400, context window,
 * content policy) are not retried. Throws the last upstream error when the
 * group is exhausted, for the caller to fall back from.
 */
export async function runGroup(
  run: RunContext,
  group: ModelGroup,
  request: Record<string, unknown>,
): Promise<GroupOutcome> {
  const { config, info } = run;
  const maxRetries = run.controls.numRetries ?? config.numRetries;
  info.modelGroup = group.name;
  info.maxRetries = maxRetries;
  info.attemptedRetries = 0;
  const needsTokens = config.preCallChecks || group.hasLimits;
  const estimatedTokens = needsTokens ? config.tokenCounter(request) : undefined;
  // Most requests succeed at the first attempt: the sets are made at the first failure.
  let tried: Set<string> = NONE;
  let excluded: Set<string> = NONE;
  let lastError: unknown;
  let retries = 0;

  for (;;) {
    let selection: Awaited<ReturnType<typeof selectDeployment>>;
    try {
      selection = await selectDeployment({
        group,
        state: config.state,
        strategy: config.strategy,
        now: config.clock(),
        tried,
        allowReuse: true,
        excluded,
        estimatedTokens,
        preCallChecks: config.preCallChecks,
        request,
        metadata: run.controls.metadata,
        headers: run.controls.headers,
        random: config.random,
      });
    } catch (error) {
      // Nothing healthy is left: the upstream's own error says more than "no deployments".
      throw lastError ?? error;
    }
    if (selection === undefined) throw lastError;
    if (selection.reused) {
      await sleep(
        backoffMs({
          retryIndex: retries - 1,
          error: lastError,
          minMs: config.retryAfterMs,
          random: config.random,
        }),
        run.signal,
      );
    }
    const d = selection.deployment;
    info.deploymentId = d.id;
    info.apiBase = d.apiBase;
    const trackInFlight = config.strategy.needs?.inFlight === true;
    if (trackInFlight) await config.state.changeInFlight(d.id, 1).catch(() => undefined);
    const startedAt = config.clock();
    const t0 = performance.now();
    let inFlightOpen = trackInFlight;
    const endInFlight = () => {
      if (!inFlightOpen) return;
      inFlightOpen = false;
      config.state.changeInFlight(d.id, -1).catch(() => undefined);
    };
    try {
      const result = await callDeployment({
        invoke: config.invoke,
        deployment: d,
        operation: run.operation,
        request: { ...request, model: d.model },
        timeoutMs: timeoutFor(run, d),
        stream: run.stream,
        frames: run.frames,
        signal: run.signal,
      });
      if (
        !isStartedStream(result) &&
        run.operation === 'chat' &&
        wasContentFiltered(result.data) &&
        hasContentPolicyFallback(run, group.name)
      ) {
        // Recorded and fallen back from like any failed attempt (by the catch below).
        throw new ContentPolicyViolationError({
          message: `Deployment ${d.id} (${d.model}) answered with finish_reason "content_filter"`,
          model: d.model,
          body: result.data,
        });
      }
      const elapsed = performance.now() - t0;
      info.attempts.push({
        modelGroup: group.name,
        deploymentId: d.id,
        apiBase: d.apiBase,
        startedAt,
        durationMs: elapsed,
      });
      info.timings.upstreamMs = elapsed;
      const wasCooling = selection.stats.cooldownUntil > 0;
      if (!isStartedStream(result)) {
        endInFlight();
        void recordSuccess(config, d, {
          wasCooling,
          latencyMs: elapsed,
          totalTokens: totalTokensOf(result.data),
        });
        return { kind: 'response', data: result.data, headers: result.headers };
      }
      let tokens: number | undefined;
      void recordSuccess(config, d, { wasCooling, latencyMs: elapsed, totalTokens: undefined });
      const stream = routedStream(result, {
        onChunk: chunk => {
          tokens = totalTokensOf(chunk) ?? tokens;
        },
        onEnd: ({ error }) => {
          endInFlight();
          if (error !== undefined && !run.signal?.aborted) void recordFailure(config, d, error);
          if (tokens !== undefined)
            void recordSuccess(config, d, {
              wasCooling: false,
              latencyMs: undefined,
              totalTokens: tokens,
            });
        },
        decorateError: error => attachRouting(error, info),
      });
      return { kind: 'stream', stream, headers: result.headers };
    } catch (error) {
      if (tried === NONE) tried = new Set();
      tried.add(d.id);
      endInFlight();
      const elapsed = performance.now() - t0;
      const attempt: AttemptRecord = {
        modelGroup: group.name,
        deploymentId: d.id,
        apiBase: d.apiBase,
        startedAt,
        durationMs: elapsed,
        error: describeError(error),
      };
      info.attempts.push(attempt);
      if (run.signal?.aborted) {
        attempt.cancelled = true;
        throw error;
      }
      const kind = classifyFailure(error);
      const cooldownUntil = await recordFailure(config, d, error);
      if (cooldownUntil !== undefined) attempt.cooldownUntil = cooldownUntil;
      if (Timeout.isInstance(error) && config.strategy.needs?.latency) {
        // A timeout is a latency sample too: the time we waited for nothing.
        await config.state.recordLatency({ id: d.id, ms: elapsed }).catch(() => undefined);
      }
      if (kind === 'fatal' || kind === 'request') throw error;
      lastError = error;
      if (kind === 'deployment') {
        if (excluded === NONE) excluded = new Set();
        excluded.add(d.id);
      }
      if (retries >= maxRetries) throw error;
      retries++;
      info.attemptedRetries = retries;
    }
  }
}

/** The empty set both `tried` and `excluded` start as (never written to). */
const NONE: Set<string> = new Set();

function timeoutFor(
  run: RunContext,
  d: { timeoutMs: number | undefined; streamTimeoutMs: number | undefined },
) {
  const c = run.controls;
  const cfg = run.config;
  const plain = c.timeoutMs ?? d.timeoutMs ?? cfg.timeoutMs;
  if (!run.stream) return plain;
  return c.streamTimeoutMs ?? d.streamTimeoutMs ?? cfg.streamTimeoutMs ?? plain;
}

function describeError(error: unknown): {
  name: string;
  status: number | undefined;
  message: string;
} {
  if (isSwitchyardError(error))
    return { name: error.name, status: error.status, message: error.message };
  if (error instanceof Error)
    return { name: error.name, status: undefined, message: error.message };
  return { name: 'Error', status: undefined, message: String(error) };
}

function wasContentFiltered(data: unknown): boolean {
  const choices = (data as { choices?: unknown } | null)?.choices;
  return (
    Array.isArray(choices) &&
    choices.some(c => (c as { finish_reason?: unknown } | null)?.finish_reason === 'content_filter')
  );
}

/**
 * LiteLLM turns a `content_filter` answer into a content-policy failure only
 * when there is somewhere to fall back to; otherwise the answer is returned as is.
 */
function hasContentPolicyFallback(run: RunContext, group: string): boolean {
  if (run.controls.disableFallbacks) return false;
  const tables = run.config.fallbackTables;
  return (
    (tables.contentPolicy.get(group)?.length ?? 0) > 0 ||
    (tables.fallbacks.get('*')?.length ?? 0) > 0
  );
}
