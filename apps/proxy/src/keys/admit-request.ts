import { randomBytes } from 'node:crypto';
import { estimatePromptTokens } from '@switchyard/router';
import { ProxyError } from '../http/proxy-error';
import type { LimitScope } from '../limits/limiter';
import type { Exchange, ProxyContext } from '../server/proxy-context';
import { textProblem } from '../store/storable-value';
import { assertModelAllowed, limitScopes, refusalError } from './admission';

/** Output tokens reserved when a request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_ESTIMATE = 1024;
/** Call types that generate tokens (so output is reserved against budgets). */
const GENERATING_CALLS = new Set([
  'acompletion',
  'atext_completion',
  'anthropic_messages',
  'aresponses',
]);
/** Template tokens per chat message that the 4-characters rule does not see. */
const PER_MESSAGE_OVERHEAD = 8;

// Limiter ids must be unique even when clients reuse `x-litellm-call-id`.
const PROCESS_TAG = randomBytes(4).toString('hex');
let sequence = 0;

/**
 * Admits an authenticated inference request before it is routed: the
 * model allow-lists, then rate limits, parallel slots and budgets in one
 * atomic step, reserving an upper estimate of the cost so concurrent
 * requests cannot all spend the same remaining budget. Throws 401 / 429 /
 * 400 (`budget_exceeded`) as LiteLLM does; on success the exchange carries
 * what the spend row and the settle need.
 */
export async function admitRequest(
  ctx: ProxyContext,
  ex: Exchange,
  body: Record<string, unknown>,
  callType: string,
): Promise<void> {
  const keys = ctx.keys;
  const principal = ex.principal;
  if (!keys || !principal || principal.kind === 'anonymous') return;
  // Checked before anything is reserved: a refusal here holds no slot.
  const endUser = endUserOf(body);
  let scopes: LimitScope[] = [];
  let estimatedCost = 0;
  const limiterId = `${PROCESS_TAG}.${++sequence}`;
  if (principal.kind === 'key') {
    const record = principal.record;
    const model = body.model as string;
    const group = ctx.router.modelGroup(model)?.name ?? model;
    assertModelAllowed(record, model, group);
    const now = Date.now();
    scopes = limitScopes(record, now);
    if (scopes.some(s => s.budget)) estimatedCost = estimateCost(ctx, group, body, callType);
    if (scopes.length > 0 || keys.sharedLimits) {
      const refusal = await keys.limiter
        .admit({ requestId: limiterId, scopes, estimatedCost, token: record.token, now })
        .catch((error: unknown) => {
          throw new ProxyError({
            status: 503,
            type: 'service_unavailable',
            message: `Rate limits cannot be checked: Redis is not reachable (${(error as Error).message}).`,
          });
        });
      if (refusal) throw refusalError(refusal, now);
    }
  }
  ex.spend = {
    callType,
    endUser,
    scopes,
    estimatedCost,
    limiterId,
    done: false,
  };
}

/**
 * The body's `user` (LiteLLM's end user), which the spend row stores. It is
 * an id, so one the database cannot hold as sent is refused rather than
 * altered: a changed id could merge two end users.
 */
function endUserOf(body: Record<string, unknown>): string | null {
  if (typeof body.user !== 'string') return null;
  const problem = textProblem(body.user);
  if (problem) {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      param: 'user',
      message: `user ${problem}.`,
    });
  }
  return body.user;
}

function estimateCost(
  ctx: ProxyContext,
  group: string,
  body: Record<string, unknown>,
  callType: string,
): number {
  const counted = estimatePromptTokens(body) ?? 0;
  const messages = Array.isArray(body.messages) ? body.messages.length : 1;
  // Deliberately high: a reservation below the real cost would let concurrent requests overrun.
  const prompt = Math.ceil(counted * 1.5) + messages * PER_MESSAGE_OVERHEAD;
  const generates = GENERATING_CALLS.has(callType);
  // Chat and text name the cap max_(completion_)tokens; Anthropic max_tokens; Responses max_output_tokens.
  const limit = body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens;
  const n = typeof body.n === 'number' && body.n > 1 ? body.n : 1;
  const output = generates ? (typeof limit === 'number' ? limit : DEFAULT_OUTPUT_ESTIMATE) * n : 0;
  return ctx.keys!.prices.estimate(group, prompt, output);
}
