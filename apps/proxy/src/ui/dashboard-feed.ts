import type { Exchange } from '../server/proxy-context';
import { LiveStats } from './live-stats';
import { promptTextOf } from './prompt-text';
import { RequestRing } from './request-ring';
import { loadStaticAssets, type StaticAssets } from './static-assets';

/** Options for {@link DashboardFeed}. */
export interface DashboardFeedOptions {
  /** Where the built page lives (see `assets-dir.ts`); undefined when it was not built. */
  assetsDir: string | undefined;
  /** `general_settings.store_prompts_in_spend_logs`: keep prompt text in the ring. */
  storePrompts: boolean;
}

/** What the request handler knows when a request finishes. */
export interface FinishedRequest {
  ex: Exchange;
  status: number;
  totalMs: number;
  /** The requested model when the proxy serves it. */
  servedModel: string | undefined;
}

/**
 * What the admin page reads: the ring of recent requests and the
 * per-second aggregates, fed once per finished request. Recording is a slot
 * write and a few array increments, so a proxy nobody watches pays for
 * nothing more; the page's files are read from disk only when first asked for.
 */
export class DashboardFeed {
  readonly ring = new RequestRing();
  readonly live = new LiveStats();
  readonly storePrompts: boolean;
  readonly #assetsDir: string | undefined;
  #assets: Promise<StaticAssets | undefined> | undefined;
  /** Prompt text per request, only while prompt storage is on; gone with the exchange. */
  readonly #prompts = new WeakMap<Exchange, string>();

  constructor(options: DashboardFeedOptions) {
    this.#assetsDir = options.assetsDir;
    this.storePrompts = options.storePrompts;
  }

  /** The page's files, read and compressed on first use. */
  assets(): Promise<StaticAssets | undefined> {
    this.#assets ??=
      this.#assetsDir === undefined
        ? Promise.resolve(undefined)
        : loadStaticAssets(this.#assetsDir);
    return this.#assets;
  }

  /** Keeps the prompt of a request body, when the operator turned prompt storage on. */
  notePrompt(ex: Exchange, body: Record<string, unknown>): void {
    if (!this.storePrompts) return;
    const text = promptTextOf(body);
    if (text !== undefined) this.#prompts.set(ex, text);
  }

  /**
   * Counts an API request (`/v1/...`, which every inference route is named
   * under). Management calls (the page's own key and spend reads among
   * them) are not traffic and would crowd the ring.
   */
  record(r: FinishedRequest): void {
    const ex = r.ex;
    if (!ex.route.startsWith('/v1/')) return;
    const routing = ex.routing;
    const group = routing?.modelGroup ?? r.servedModel ?? '';
    const failed = r.status >= 400 || ex.errorClass !== undefined;
    const usage = ex.usage ?? null;
    const output = usage?.completion_tokens;
    this.live.record({
      group,
      failed,
      totalMs: r.totalMs,
      ttftMs: ex.ttftMs,
      outputTokens: typeof output === 'number' ? output : 0,
    });
    const principal = ex.principal;
    const key = principal?.kind === 'key' ? principal.record : undefined;
    this.ring.push({
      at: Date.now(),
      callId: ex.callId,
      method: ex.req.method ?? '',
      route: ex.route,
      status: r.status,
      model: ex.model ?? null,
      modelGroup: routing?.modelGroup ?? r.servedModel ?? null,
      deploymentId: routing?.deploymentId ?? null,
      latencyMs: r.totalMs,
      ttftMs: ex.ttftMs ?? null,
      usage,
      keyToken: key ? key.token : principal?.kind === 'master' ? 'master' : null,
      keyAlias: key?.keyAlias ?? null,
      teamId: key?.teamId ?? null,
      userId: key?.userId ?? null,
      errorClass: ex.errorClass ?? null,
      prompt: this.storePrompts ? (this.#prompts.get(ex) ?? null) : null,
    });
  }
}
