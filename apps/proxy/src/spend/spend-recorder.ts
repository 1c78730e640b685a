import { clientCallId, newCallId } from '../server/call-id';
import type { Exchange, ProxyContext } from '../server/proxy-context';
import { makeStorable, type SpendRow } from './spend-row';

/**
 * Writes the spend row of an admitted request to the write-ahead log (a
 * synchronous append, before a successful answer is sent) and settles its
 * limits in the background. Runs once per request; returns the cost, for
 * `x-litellm-response-cost`.
 */
export function recordSpend(ctx: ProxyContext, ex: Exchange): number {
  const s = ex.spend;
  const keys = ctx.keys;
  if (!s || s.done || !keys) return 0;
  s.done = true;
  const failed = ex.errorClass !== undefined || ex.res.statusCode >= 400;
  const usage = ex.usage ?? undefined;
  const priced = keys.prices.cost(ex.routing?.deploymentId, usage);
  // Without counts nothing can be priced: say so rather than pretend.
  const costSource = usage ? priced.source : 'no_usage';
  const cost = usage ? priced.cost : 0;
  const nowMs = Date.now();
  const elapsed = performance.now() - ex.started;
  const principal = ex.principal;
  const record = principal?.kind === 'key' ? principal.record : undefined;
  ctx.metrics.spend.record({
    cost,
    model: ex.model ?? '',
    modelId: ex.routing?.deploymentId,
    token: record ? record.token : keys.masterToken,
    record,
    endUser: s.endUser,
  });
  if (keys.spend) {
    const row: SpendRow = {
      // The proxy's own id keys the row: a call id the client chose may repeat.
      request_id: clientCallId(ex.req) === undefined ? ex.callId : newCallId(),
      litellm_call_id: ex.callId,
      call_type: s.callType,
      api_key: record ? record.token : keys.masterToken,
      spend: cost,
      prompt_tokens: usage?.prompt_tokens ?? null,
      completion_tokens: usage?.completion_tokens ?? null,
      total_tokens: usage?.total_tokens ?? null,
      startTime: new Date(nowMs - elapsed).toISOString(),
      endTime: new Date(nowMs).toISOString(),
      completionStartTime:
        ex.ttftMs === undefined ? null : new Date(nowMs - elapsed + ex.ttftMs).toISOString(),
      model: ex.model ?? '',
      model_id: ex.routing?.deploymentId ?? null,
      model_group: ex.routing?.modelGroup ?? null,
      api_base: ex.routing?.apiBase?.split('?')[0] ?? null,
      user: record?.userId ?? null,
      team_id: record?.teamId ?? null,
      end_user: s.endUser,
      status: failed ? 'failure' : 'success',
      cost_source: costSource,
      latency_ms: Math.round(elapsed * 1000) / 1000,
      metadata: {
        user_api_key_alias: record?.keyAlias ?? null,
        status_code: ex.res.statusCode,
        ...(ex.errorClass === undefined ? {} : { error_class: ex.errorClass }),
      },
    };
    try {
      keys.spend.record(makeStorable(row));
    } catch (error) {
      ctx.logger.error({ call_id: ex.callId, err: error }, 'spend row could not be logged');
    }
  }
  if (s.scopes.length > 0) {
    const tokens =
      usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0);
    const rates = ctx.metrics.keyRates;
    void keys.limiter
      .settle({
        requestId: s.limiterId,
        scopes: s.scopes,
        estimatedCost: s.estimatedCost,
        actualCost: cost,
        tokens,
        now: nowMs,
      })
      // The remaining-limit gauges read the window once this request is counted in it.
      .then(() =>
        rates.tracks(record)
          ? rates.update(keys.limiter, record, ex.model ?? '', nowMs)
          : undefined,
      )
      .catch(error =>
        ctx.logger.warn(
          { call_id: ex.callId, err: (error as Error).message },
          'limit settle failed',
        ),
      );
  }
  return cost;
}
