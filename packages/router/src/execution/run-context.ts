import type { ProviderOperation } from '@switchyard/core';
import type { RouterConfig } from '../options/normalize-options';
import type { RoutingInfo } from '../routing-info';
import type { RequestControls } from './request-controls';

/** Everything one routed request carries through its groups and attempts. */
export interface RunContext {
  config: RouterConfig;
  operation: ProviderOperation;
  stream: boolean;
  controls: RequestControls;
  signal: AbortSignal | undefined;
  /** The caller reads with nextFrames() (CallOptions.frames). */
  frames: boolean;
  info: RoutingInfo;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
}

/** A successful routed call, before the router wraps it for the caller. */
export type GroupOutcome =
  | { kind: 'response'; data: unknown; headers: Record<string, string> }
  | { kind: 'stream'; stream: AsyncIterable<unknown>; headers: Record<string, string> };
