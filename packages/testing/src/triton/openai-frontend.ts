/**
 * The routes of Triton's OpenAI-compatible frontend, served beside the
 * KServe routes for the same models: `/v1/models[/{m}]`,
 * `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings` and
 * `/health/ready`, with the `--openai-restricted-api` checks.
 */
import { sendJsonWithFault } from '../shared/fault-responder';
import { serverIsReady } from './kserve-routes';
import type { ServedModel } from './model-registry';
import { handleOpenAiEmbeddings, unsupportedFor } from './openai-embeddings';
import { handleOpenAiGeneration } from './openai-generation';
import { type OpenAiBody, OpenAiHttpError, openAiError, validationError } from './openai-request';
import { type OpenAiApiGroup, restrictionFailure } from './openai-restriction';
import type { RouteContext } from './route-context';

const GENERATION_PROFILES = new Set(['vllm', 'trtllm']);

/** Handles the request when its path belongs to the OpenAI frontend; returns false otherwise. */
export async function handleOpenAiRoute(ctx: RouteContext, startedAt: number): Promise<boolean> {
  const { path, method } = ctx;
  const route = matchRoute(path);
  if (!route) return false;
  const refusal = restrictionFailure({
    restrictions: ctx.state.restrictions,
    group: route.group,
    headers: ctx.req.headers,
  });
  if (refusal) {
    sendJsonWithFault(ctx.res, 401, refusal, ctx.fault);
    return true;
  }
  if (method !== route.method) {
    sendJsonWithFault(ctx.res, 405, { detail: 'Method Not Allowed' }, ctx.fault);
    return true;
  }
  const registry = ctx.state.registry;
  const card = (m: ServedModel) => ({
    id: m.definition.name,
    created: Math.floor(startedAt / 1000),
    object: 'model',
    owned_by: 'Triton Inference Server',
  });
  switch (route.kind) {
    case 'health':
      if (serverIsReady(ctx)) {
        ctx.res.writeHead(200, { 'content-length': '0' });
        ctx.res.end();
      } else {
        sendJsonWithFault(
          ctx.res,
          400,
          { detail: 'Attached inference engine is not ready for inference requests.' },
          ctx.fault,
        );
      }
      return true;
    case 'models':
      sendJsonWithFault(
        ctx.res,
        200,
        { object: 'list', data: registry.models.map(card) },
        ctx.fault,
      );
      return true;
    case 'model': {
      const model = registry.find(route.model);
      if (!model) {
        sendJsonWithFault(ctx.res, 404, { detail: `Unknown model: ${route.model}` }, ctx.fault);
      } else {
        sendJsonWithFault(ctx.res, 200, card(model), ctx.fault);
      }
      return true;
    }
    default:
      await handleInference(ctx, route.kind);
      return true;
  }
}

async function handleInference(
  ctx: RouteContext,
  kind: 'chat' | 'text' | 'embeddings',
): Promise<void> {
  try {
    const body = parseBody(ctx.body);
    if (typeof body.model !== 'string')
      throw validationError('model', 'Field required', body.model);
    const model = ctx.state.registry.find(body.model);
    if (!model) throw new OpenAiHttpError(400, `Unknown model: ${body.model}`);
    if (kind === 'embeddings') {
      if (model.definition.profile !== 'embedding') throw unsupportedFor(model, 'embeddings');
      return await handleOpenAiEmbeddings({ ctx, model, body });
    }
    if (!GENERATION_PROFILES.has(model.definition.profile)) {
      throw unsupportedFor(model, kind === 'chat' ? 'chat completions' : 'completions');
    }
    if (!model.ready) throw new OpenAiHttpError(400, `Model ${model.definition.name} is not ready`);
    await handleOpenAiGeneration({ ctx, model, body, kind });
  } catch (error) {
    openAiError(ctx, error);
  }
}

function parseBody(raw: Buffer): OpenAiBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new OpenAiHttpError(422, [
      { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OpenAiHttpError(422, [
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary',
        input: parsed,
      },
    ]);
  }
  return parsed as OpenAiBody;
}

type Route =
  | { kind: 'health' | 'models'; method: string; group: OpenAiApiGroup }
  | { kind: 'model'; model: string; method: string; group: OpenAiApiGroup }
  | { kind: 'chat' | 'text' | 'embeddings'; method: string; group: OpenAiApiGroup };

function matchRoute(path: string): Route | undefined {
  if (path === '/health/ready') return { kind: 'health', method: 'GET', group: 'health' };
  if (path === '/v1/models') return { kind: 'models', method: 'GET', group: 'model-repository' };
  if (path === '/v1/chat/completions') return { kind: 'chat', method: 'POST', group: 'inference' };
  if (path === '/v1/completions') return { kind: 'text', method: 'POST', group: 'inference' };
  if (path === '/v1/embeddings') return { kind: 'embeddings', method: 'POST', group: 'inference' };
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (model) {
    return {
      kind: 'model',
      model: decodeURIComponent(model[1]!),
      method: 'GET',
      group: 'model-repository',
    };
  }
  return undefined;
}
