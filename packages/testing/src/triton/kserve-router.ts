/**
 * Dispatches the KServe v2 paths with the same regexes as Triton's HTTP
 * server (`/v2/models/{m}[/versions/{v}][/action]`, exact match, no
 * trailing slash), plus bare `/generate` and `/generate_stream` for the
 * first model — LiteLLM users sometimes point `api_base` at them.
 */
import { handleGenerate } from './generate-route';
import { handleInfer } from './infer-route';
import {
  handleAllStats,
  handleHealth,
  handleModelInfo,
  handleRepositoryIndex,
  handleServerMetadata,
} from './kserve-routes';
import type { ServedModel } from './model-registry';
import { type RouteContext, sendTritonError } from './route-context';
import { TritonError } from './triton-error';

const MODEL_ROUTE =
  /^\/v2\/models\/([^/]+)(?:\/versions\/([0-9]+))?(?:\/(infer|generate|generate_stream|ready|config|stats))?$/;

/** Handles the request when its path is a KServe route; returns false otherwise. */
export async function handleKserveRoute(ctx: RouteContext): Promise<boolean> {
  const { path } = ctx;
  if (path === '/v2') {
    handleServerMetadata(ctx);
    return true;
  }
  if (path === '/v2/health/live' || path === '/v2/health/ready') {
    handleHealth(ctx, path.endsWith('live') ? 'live' : 'ready');
    return true;
  }
  if (path === '/v2/models/stats') {
    handleAllStats(ctx);
    return true;
  }
  if (path === '/v2/repository/index') {
    handleRepositoryIndex(ctx);
    return true;
  }
  if (path === '/generate' || path === '/generate_stream') {
    const first = ctx.state.registry.models[0];
    if (!first) {
      sendTritonError(
        ctx,
        new TritonError('NOT_FOUND', 'Request for unknown model: no model is served'),
      );
      return true;
    }
    await runModelAction(ctx, first.definition.name, undefined, path.slice(1));
    return true;
  }
  const match = MODEL_ROUTE.exec(path);
  if (!match) return false;
  await runModelAction(ctx, decodeURIComponent(match[1]!), match[2], match[3] ?? 'metadata');
  return true;
}

async function runModelAction(
  ctx: RouteContext,
  name: string,
  version: string | undefined,
  action: string,
): Promise<void> {
  const registry = ctx.state.registry;
  let model: ServedModel;
  try {
    const inference = action === 'infer' || action === 'generate' || action === 'generate_stream';
    model = inference
      ? registry.resolveForInference(name, version)
      : registry.resolve(name, version);
  } catch (error) {
    return sendTritonError(ctx, error);
  }
  switch (action) {
    case 'infer':
      return handleInfer(ctx, model);
    case 'generate':
      return handleGenerate(ctx, model, false);
    case 'generate_stream':
      return handleGenerate(ctx, model, true);
    default:
      return handleModelInfo(ctx, model, action as 'metadata' | 'ready' | 'config' | 'stats');
  }
}
