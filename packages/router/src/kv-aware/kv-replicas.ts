/**
 * The replicas a kv-aware router follows: each deployment whose
 * `model_info.kv_events` names its engine's publisher gets a subscriber
 * feeding its model group's index, and a liveness record. A replica whose
 * events stop while requests go to it (or whose subscriber could not
 * start) is stale — scored by load alone — and after `expireAfterMs` its
 * part of the index is dropped; a reset (engine restart, unfillable gap,
 * `AllBlocksCleared`) drops it at once and it rebuilds from new events.
 */
import type { Deployment } from '../deployments/deployment';
import { engineBaseOf } from '../engine-load/metrics-url';
import { configError, isPlainObject } from '../options/checks';
import type { IndexEvent, KvBlockIndex } from './kv-block-index';
import type { TokenizeTarget } from './prompt-blocks';

/** `model_info.kv_events` of a deployment. */
export interface KvEventsConfig {
  /** The engine's PUB address (vLLM `--kv-events-config` `endpoint`, as reachable from here). */
  endpoint: string;
  /** Its replay (ROUTER) address, for sequence gaps. */
  replay_endpoint?: string;
  /** Topic the engine publishes on; default empty. */
  topic?: string;
}

/** What the router knows about one followed replica. */
export interface ReplicaState {
  readonly id: string;
  readonly group: string;
  readonly config: KvEventsConfig;
  readonly tokenize: TokenizeTarget | undefined;
  subscribed: boolean;
  lastBatchAt: number | undefined;
  /** First pick since the last batch: events should follow it. */
  pickedSinceBatchAt: number | undefined;
  /** When the index part was dropped for staleness (until events come back). */
  expired: boolean;
  close?: () => void;
}

/** Reads and checks `model_info.kv_events`; undefined when the deployment has none. */
export function kvEventsConfigOf(d: Deployment): KvEventsConfig | undefined {
  const raw = d.modelInfo.kv_events;
  if (raw === undefined || raw === null) return undefined;
  const field = `model_info.kv_events of deployment ${d.id}`;
  if (
    !isPlainObject(raw) ||
    typeof raw.endpoint !== 'string' ||
    !/^(tcp|ipc):\/\//.test(raw.endpoint)
  ) {
    throw configError(field, '{ endpoint: "tcp://host:port", replay_endpoint?, topic? }', raw);
  }
  for (const key of ['replay_endpoint', 'topic'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') {
      throw configError(`${field}.${key}`, 'a string', raw[key]);
    }
  }
  return raw as unknown as KvEventsConfig;
}

/** Where a vLLM deployment's `/tokenize` is: its `api_base` without `/v1`. */
export function tokenizeTargetOf(d: Deployment): TokenizeTarget | undefined {
  const base = engineBaseOf(d);
  if (base === undefined) return undefined;
  const model = d.model.includes('/') ? d.model.slice(d.model.indexOf('/') + 1) : d.model;
  return { url: `${base}/tokenize`, model, apiKey: d.apiKey };
}

/** Whether a replica's events can be trusted now. */
export function isLive(r: ReplicaState, now: number, staleAfterMs: number): boolean {
  if (!r.subscribed || r.expired) return false;
  return r.pickedSinceBatchAt === undefined || now - r.pickedSinceBatchAt <= staleAfterMs;
}

type KvEventsModule = typeof import('@switchyard/kv-events');

/**
 * Starts a subscriber per replica once `@switchyard/kv-events` is loaded.
 * Resolves with an error message when the package is missing (every
 * replica then stays unsubscribed: load alone decides).
 */
export async function subscribeAll(options: {
  replicas: Iterable<ReplicaState>;
  indexOf: (group: string) => KvBlockIndex;
  clock: () => number;
}): Promise<string | undefined> {
  let kv: KvEventsModule;
  try {
    kv = await import('@switchyard/kv-events');
  } catch {
    return 'the kv-aware strategy needs the optional package @switchyard/kv-events: pnpm add @switchyard/kv-events';
  }
  for (const r of options.replicas) {
    const index = options.indexOf(r.group);
    const sub = new kv.KvEventSubscriber({
      endpoint: r.config.endpoint,
      ...(r.config.replay_endpoint ? { replayEndpoint: r.config.replay_endpoint } : {}),
      topic: r.config.topic,
      clock: options.clock,
      handler: {
        onBatch: batch => {
          r.lastBatchAt = options.clock();
          r.pickedSinceBatchAt = undefined;
          r.expired = false;
          for (const event of batch.events) index.apply(r.id, event as IndexEvent);
        },
        onReset: () => index.forget(r.id),
      },
    });
    r.subscribed = true;
    r.close = () => sub.close();
  }
  return undefined;
}
