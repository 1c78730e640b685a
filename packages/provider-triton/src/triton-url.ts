import { BadRequestError } from '@switchyard/core';
import type { TritonRoute } from './triton-options';

/** The endpoint a call is sent to. */
export type TritonEndpoint = 'generate' | 'generate_stream' | 'infer' | 'embeddings';

/** Where a call goes and how its body must be shaped. */
export interface ResolvedTritonUrl {
  url: string;
  /** `generate` and `generate_stream` use the flat JSON body; `infer` and `embeddings` use KServe v2 tensors. */
  endpoint: TritonEndpoint;
}

/** Input to {@link resolveTritonUrl}. */
export interface ResolveTritonUrlOptions {
  apiBase: string | undefined;
  /** Model name without the `triton/` prefix. */
  model: string;
  /** `chat` (chat and text completions) or `embedding`. */
  operation: 'chat' | 'embedding';
  stream: boolean;
  /** `ctx.options.triton_route`, when given. */
  route: TritonRoute | undefined;
  /** `ctx.options.triton_model_version`, when given. */
  modelVersion: string | undefined;
}

const SUFFIX = /\/(generate_stream|generate|infer|embeddings)$/;

/**
 * Picks the URL the way LiteLLM does — an api_base ending in `/generate`,
 * `/infer` or `/embeddings` is used as given (`/generate` becomes
 * `/generate_stream` for streams) — and also accepts a plain server URL
 * (`http://host:8000`, optionally ending in `/v2` or `/v2/models/{m}`), to
 * which `/v2/models/{model}/{generate|infer}` is added. Trailing slashes are
 * ignored.
 */
export function resolveTritonUrl(options: ResolveTritonUrlOptions): ResolvedTritonUrl {
  const { apiBase, model, operation, stream, route } = options;
  if (apiBase === undefined || apiBase.trim() === '') {
    throw new BadRequestError({
      message: 'api_base is required for triton. Please pass `api_base`',
      param: 'api_base',
      provider: 'triton',
      model,
    });
  }
  const base = apiBase.trim().replace(/\/+$/, '');
  const suffix = SUFFIX.exec(base)?.[1] as TritonEndpoint | undefined;
  if (suffix !== undefined) {
    const given: TritonRoute | 'embeddings' = suffix === 'generate_stream' ? 'generate' : suffix;
    if (route !== undefined && given !== 'embeddings' && route !== given) {
      throw new BadRequestError({
        message: `triton_route is "${route}" but api_base ends in /${suffix}; drop one of them or make them agree`,
        param: 'triton_route',
        provider: 'triton',
        model,
      });
    }
    if (given === 'generate') {
      const root = base.replace(/_stream$/, '');
      return stream
        ? { url: `${root}_stream`, endpoint: 'generate_stream' }
        : { url: root, endpoint: 'generate' };
    }
    return { url: base, endpoint: given };
  }
  const chosen: TritonRoute = route ?? (operation === 'embedding' ? 'infer' : 'generate');
  const endpoint: TritonEndpoint = chosen === 'generate' && stream ? 'generate_stream' : chosen;
  return { url: `${modelRoot(base, model, options.modelVersion)}/${endpoint}`, endpoint };
}

/** Whether an api_base names its endpoint (`…/generate`, `…/infer`, …) rather than a server or model. */
export function apiBaseNamesEndpoint(apiBase: string): boolean {
  return SUFFIX.test(apiBase.trim().replace(/\/+$/, ''));
}

function modelRoot(base: string, model: string, modelVersion: string | undefined): string {
  const versioned = modelVersion === undefined ? '' : `/versions/${modelVersion}`;
  // Already pointing at one model: `…/v2/models/llama` or `…/v2/models/llama/versions/2`.
  if (/\/v2\/models\/[^/]+(\/versions\/[0-9]+)?$/.test(base)) return base;
  if (model.length === 0 || model.includes('/')) {
    throw new BadRequestError({
      message:
        `Triton model names cannot contain "/" and cannot be empty (got "${model}"). ` +
        'Name the model as Triton does (triton/<model>), or give an api_base ending in /generate or /infer.',
      param: 'model',
      provider: 'triton',
      model,
    });
  }
  const root = base.endsWith('/v2') ? base : `${base}/v2`;
  return `${root}/models/${encodeURIComponent(model)}${versioned}`;
}
