/** `GET /v1/models`, `/health`, `/ping`, `/version`, `/metrics`. */
import { sendEmpty } from '../shared/emulator-server';
import { type RouteCall, randomHex, reply, type VllmContext } from './vllm-context';

/**
 * One card per served name, then one per loaded LoRA adapter with `root`
 * its path, `parent` the first served name and no `max_model_len` (spec §A.5).
 */
export function handleModels(ctx: VllmContext, call: RouteCall): void {
  const base = ctx.servedNames.map(name => card(ctx, name, ctx.model, null, ctx.maxModelLen));
  const adapters = ctx.lora.list().map(a => card(ctx, a.name, a.path, ctx.servedNames[0]!, null));
  reply(call, { object: 'list', data: [...base, ...adapters] });
}

function card(
  ctx: VllmContext,
  id: string,
  root: string,
  parent: string | null,
  maxModelLen: number | null,
) {
  return {
    id,
    object: 'model',
    created: ctx.createdAt,
    owned_by: 'vllm',
    root,
    parent,
    max_model_len: maxModelLen,
    permission: [
      {
        id: `modelperm-${randomHex()}`,
        object: 'model_permission',
        created: ctx.createdAt,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: false,
        organization: '*',
        group: null,
        is_blocking: false,
      },
    ],
  };
}

/** 200 with an empty body; 503 (empty) while the engine is marked dead. */
export function handleHealth(ctx: VllmContext, call: RouteCall): void {
  sendEmpty(call.res, ctx.healthy ? 200 : 503);
}

export function handleVersion(ctx: VllmContext, call: RouteCall): void {
  reply(call, { version: ctx.version });
}

export function handleMetrics(ctx: VllmContext, call: RouteCall): void {
  const text = ctx.metrics.render({
    modelName: ctx.servedNames[0]!,
    maxModelLen: ctx.maxModelLen,
    maxNumSeqs: ctx.scheduler.limit,
    waiting: ctx.scheduler.waiting,
  });
  call.res.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  call.res.end(text);
}
