import { sendJson } from '../http/send';
import type { KeyManager } from '../keys/key-manager';
import type { ProxyContext, RouteDef } from '../server/proxy-context';

/** Longest wait for the database's answer; a probe must answer even when the database does not. */
const DB_PROBE_TIMEOUT_MS = 5_000;

/**
 * LiteLLM's values — `connected`, `disconnected`, and `Not connected` when
 * there is no database — plus `connecting` while it is being opened.
 */
type DbState = 'connected' | 'connecting' | 'disconnected' | 'Not connected';

/**
 * Asks the store on every probe (one `SELECT 1`: cheaper than a stale
 * answer; LiteLLM reuses a good one for 15 s, hiding an outage as long).
 */
async function dbState(keys: KeyManager | undefined): Promise<DbState> {
  if (!keys?.storeUsable) return 'Not connected';
  if (await keys.pingDb(DB_PROBE_TIMEOUT_MS)) return 'connected';
  return keys.storeOpening ? 'connecting' : 'disconnected';
}

/**
 * `/health/readiness`: whether this instance can take traffic. It asks the
 * database (embedded or PostgreSQL; the first probe opens it) and reads
 * Redis' connection state, and answers 503 while either is unreachable —
 * unless `allow_requests_on_db_unavailable` is set, as in LiteLLM — and
 * while draining at shutdown, so balancers stop sending.
 */
export const readinessRoute: RouteDef = {
  method: 'GET',
  auth: false,
  async handle(ctx: ProxyContext, ex) {
    const db = await dbState(ctx.keys);
    const up = ctx.keys?.redisUp;
    const redis = up === undefined ? null : up ? 'connected' : 'disconnected';
    const unreachable = db === 'disconnected' || db === 'connecting' || redis === 'disconnected';
    const tolerated = ctx.config.general_settings.allow_requests_on_db_unavailable === true;
    const status = ctx.draining ? 'draining' : unreachable ? 'unhealthy' : 'healthy';
    sendJson(ex.res, ctx.draining || (unreachable && !tolerated) ? 503 : 200, {
      status,
      db,
      cache: null,
      redis,
      success_callbacks: [],
      last_updated: new Date().toISOString(),
    });
  },
};
