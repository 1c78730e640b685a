import type { Redis } from 'ioredis';
import {
  type AdmitRequest,
  LEASE_MS,
  type Limiter,
  type LimitScope,
  type Refusal,
  type SettleRequest,
} from './limiter';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './redis-scripts';

/** How long a revocation marker outlives the longest key cache. */
const REVOKED_TTL_SECONDS = 24 * 3600;

/**
 * The many-process {@link Limiter}: every check and increment is one Lua
 * script run, so N proxies on one Redis enforce one limit (LiteLLM without
 * its experimental flag multiplies limits by replicas).
 */
export class RedisLimiter implements Limiter {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: { redis: Redis; prefix: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#redis.defineCommand('syAdmit', { lua: ADMIT_SCRIPT });
    this.#redis.defineCommand('sySettle', { lua: SETTLE_SCRIPT });
  }

  async admit(request: AdmitRequest): Promise<Refusal | undefined> {
    // While Redis is away, refuse at once rather than after a reconnection attempt.
    if (this.#redis.status !== 'ready') throw new Error(`connection ${this.#redis.status}`);
    const keys = [request.token === undefined ? '' : `${this.#prefix}revoked:${request.token}`];
    const args: Array<string | number> = [
      request.now,
      request.requestId,
      request.estimatedCost,
      LEASE_MS,
      request.scopes.length,
    ];
    for (const scope of request.scopes) {
      keys.push(...this.#keys(scope));
      const b = scope.budget;
      args.push(
        scope.rpm ?? -1,
        scope.tpm ?? -1,
        scope.parallel ?? -1,
        b?.max ?? -1,
        b?.spent ?? 0,
        b?.periodEndsAt === undefined ? -1 : Math.max(1, b.periodEndsAt - request.now + 3_600_000),
      );
    }
    const [status, index, limit, current, retry] = (await (
      this.#redis as unknown as Scripted
    ).syAdmit(keys.length, ...keys, ...args)) as [string, number, string, string, number];
    if (status === 'ok') return undefined;
    return {
      reason: status as Refusal['reason'],
      scope: status === 'revoked' ? `key:${request.token}` : request.scopes[index]!.id,
      limit: Number(limit),
      current: Number(current),
      retryAfterSec: retry,
    };
  }

  async settle(request: SettleRequest): Promise<void> {
    const keys = [''];
    const args: Array<string | number> = [
      request.now,
      request.requestId,
      request.estimatedCost,
      request.actualCost,
      request.tokens,
      request.scopes.length,
    ];
    for (const scope of request.scopes) {
      keys.push(...this.#keys(scope));
      args.push(
        scope.tpm === undefined ? 0 : 1,
        scope.parallel === undefined ? 0 : 1,
        scope.budget === undefined ? 0 : 1,
        scope.budget?.spent ?? 0,
      );
    }
    await (this.#redis as unknown as Scripted).sySettle(keys.length, ...keys, ...args);
  }

  async revoke(token: string): Promise<void> {
    await this.#redis.set(`${this.#prefix}revoked:${token}`, '1', 'EX', REVOKED_TTL_SECONDS);
  }

  async windowUsage(scopeId: string, now: number): Promise<{ requests: number; tokens: number }> {
    const base = `${this.#prefix}limit:${scopeId}`;
    const [requests, tokens] = await Promise.all([
      this.#redis.hgetall(`${base}:rpm`),
      this.#redis.hgetall(`${base}:tpm`),
    ]);
    // The scripts' window: seconds after now − 60 (older buckets are pruned at the next admit).
    const sec = Math.floor(now / 1000);
    const sum = (buckets: Record<string, string>) =>
      Object.entries(buckets).reduce((t, [s, n]) => (Number(s) > sec - 60 ? t + Number(n) : t), 0);
    return { requests: sum(requests), tokens: sum(tokens) };
  }

  async close(): Promise<void> {}

  #keys(scope: LimitScope): string[] {
    const base = `${this.#prefix}limit:${scope.id}`;
    const period = scope.budget?.period ?? 'all';
    return [`${base}:rpm`, `${base}:tpm`, `${base}:par`, `${base}:spend:${period}`, `${base}:resv`];
  }
}

interface Scripted {
  syAdmit(numKeys: number, ...rest: Array<string | number>): Promise<unknown>;
  sySettle(numKeys: number, ...rest: Array<string | number>): Promise<unknown>;
}
