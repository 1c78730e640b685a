/**
 * The KServe v2 routes that describe the server and its models: server
 * metadata, health, model metadata, readiness, config, statistics and the
 * repository index.
 */
import { sendJsonWithFault } from '../shared/fault-responder';
import { modelVersionNotReady } from './error-messages';
import { modelConfig, modelMetadata } from './model-metadata';
import type { ServedModel } from './model-registry';
import {
  type RouteContext,
  sendEmptyWithFault,
  sendMethodNotAllowed,
  sendTritonError,
} from './route-context';

/** The Triton release the emulator reports. */
export const TRITON_VERSION = '2.61.0';

/** The extensions Triton core lists in server metadata. */
export const TRITON_EXTENSIONS = [
  'classification',
  'sequence',
  'model_repository',
  'model_repository(unload_dependents)',
  'schedule_policy',
  'model_configuration',
  'system_shared_memory',
  'cuda_shared_memory',
  'binary_tensor_data',
  'parameters',
  'statistics',
  'trace',
  'logging',
];

/** Whether the server is ready: with strict readiness, every model must be ready too. */
export function serverIsReady(ctx: RouteContext): boolean {
  return ctx.state.serverReady && ctx.state.registry.models.every(m => m.ready);
}

/** `GET /v2`. */
export function handleServerMetadata(ctx: RouteContext): void {
  if (ctx.method !== 'GET') {
    sendMethodNotAllowed(ctx);
    return;
  }
  sendJsonWithFault(
    ctx.res,
    200,
    { name: 'triton', version: TRITON_VERSION, extensions: TRITON_EXTENSIONS },
    ctx.fault,
  );
}

/** `GET /v2/health/live` and `/v2/health/ready`: empty bodies, 400 when not ready. */
export function handleHealth(ctx: RouteContext, kind: 'live' | 'ready'): void {
  if (ctx.method !== 'GET') {
    sendMethodNotAllowed(ctx);
    return;
  }
  if (kind === 'live') {
    sendEmptyWithFault(ctx, 200);
    return;
  }
  if (serverIsReady(ctx)) {
    sendEmptyWithFault(ctx, 200, { 'content-type': 'text/plain' });
    return;
  }
  sendEmptyWithFault(ctx, 400);
}

/** `GET /v2/models/{m}[/versions/{v}][/ready|/config|/stats]`. */
export function handleModelInfo(
  ctx: RouteContext,
  model: ServedModel,
  action: 'metadata' | 'ready' | 'config' | 'stats',
): void {
  if (ctx.method !== 'GET') {
    sendMethodNotAllowed(ctx);
    return;
  }
  if (action === 'ready') {
    if (model.ready) {
      sendEmptyWithFault(ctx, 200);
      return;
    }
    sendTritonError(ctx, modelVersionNotReady());
    return;
  }
  if (action === 'stats') {
    sendJsonWithFault(ctx.res, 200, { model_stats: [modelStats(model)] }, ctx.fault);
    return;
  }
  const body =
    action === 'config' ? modelConfig(model.definition) : modelMetadata(model.definition);
  sendJsonWithFault(ctx.res, 200, body, ctx.fault);
}

/** `GET /v2/models/stats`: every model's statistics. */
export function handleAllStats(ctx: RouteContext): void {
  if (ctx.method !== 'GET') {
    sendMethodNotAllowed(ctx);
    return;
  }
  const stats = ctx.state.registry.models.map(modelStats);
  sendJsonWithFault(ctx.res, 200, { model_stats: stats }, ctx.fault);
}

/** `POST /v2/repository/index`. */
export function handleRepositoryIndex(ctx: RouteContext): void {
  if (ctx.method !== 'POST') {
    sendMethodNotAllowed(ctx);
    return;
  }
  const index = ctx.state.registry.models.map(m => ({
    name: m.definition.name,
    version: m.definition.version,
    state: m.ready ? 'READY' : 'UNAVAILABLE',
  }));
  sendJsonWithFault(ctx.res, 200, index, ctx.fault);
}

function modelStats(model: ServedModel): Record<string, unknown> {
  const m = model.metrics;
  const ns = (us: number) => us * 1000;
  return {
    name: model.definition.name,
    version: model.definition.version,
    last_inference: m.lastInference,
    inference_count: m.inferenceCount,
    execution_count: m.execCount,
    inference_stats: {
      success: { count: m.requestSuccess, ns: ns(m.requestDurationUs - m.failureDurationUs) },
      fail: { count: m.requestFailure, ns: ns(m.failureDurationUs) },
      // No scheduler queue in the emulator: requests start at once.
      queue: { count: m.requestSuccess, ns: 0 },
      compute_infer: { count: m.execCount, ns: ns(m.computeInferDurationUs) },
    },
    batch_stats: [],
  };
}
