/**
 * Which backend serves a Triton model, read from its configuration
 * (`GET /v2/models/{m}[/versions/{v}]/config`, the `model_configuration`
 * extension) so that a plain `triton/<model>` gets the right request layout
 * without `triton_backend`: a vLLM-backend model sent the generic layout
 * echoes the prompt into its answer and gives no finish reason.
 */
import type { CallContext } from '@switchyard/core';
import { tritonFailureMapper } from './triton-errors';
import type { TritonBackend } from './triton-options';

/** How long the config read may take before the call goes on with `generic`. */
export const DETECTION_TIMEOUT_MS = 2_000;
/** How long a failed read is remembered before it is tried again. */
export const DETECTION_RETRY_MS = 60_000;

/**
 * The backend a model configuration names: `vllm` for Triton's vLLM
 * backend; `trtllm` for TensorRT-LLM's text front doors — an `ensemble`
 * that takes `text_input` and `max_tokens`, or the `tensorrt_llm_bls`
 * Python model; `generic` (LiteLLM's layout) for anything else, including
 * other Python models whatever their inputs.
 */
export function backendFromConfig(config: unknown): TritonBackend {
  if (typeof config !== 'object' || config === null) return 'generic';
  const record = config as Record<string, unknown>;
  if (record.backend === 'vllm') return 'vllm';
  if (record.backend === 'python' && record.name === 'tensorrt_llm_bls') return 'trtllm';
  if (record.platform !== 'ensemble') return 'generic';
  const inputs = Array.isArray(record.input) ? (record.input as unknown[]) : [];
  const names = new Set(
    inputs.flatMap(input =>
      typeof input === 'object' && input !== null && 'name' in input ? [input.name] : [],
    ),
  );
  return names.has('text_input') && names.has('max_tokens') ? 'trtllm' : 'generic';
}

/**
 * The config URL of the model a generation URL points at
 * (`…/v2/models/{m}[/versions/{v}]/{generate|generate_stream|infer}`), or
 * undefined for a URL that names no model (LiteLLM's bare `…/generate`).
 */
export function configUrlOf(generationUrl: string): string | undefined {
  const match =
    /^(.*\/v2\/models\/[^/]+(?:\/versions\/[0-9]+)?)\/(?:generate|generate_stream|infer)$/.exec(
      generationUrl,
    );
  return match ? `${match[1]}/config` : undefined;
}

interface CacheEntry {
  backend: Promise<TritonBackend> | undefined;
  /** When a failed read may be retried; undefined while none failed. */
  retryAt: number | undefined;
}

/** Input to {@link BackendDetector.backendFor}. */
export interface DetectBackendOptions {
  /** From {@link configUrlOf}. */
  configUrl: string;
  /** The call's headers (a gateway in front of Triton may want its key). */
  headers: Record<string, string>;
  ctx: CallContext;
}

/**
 * Reads each model's configuration once and remembers the backend (one
 * read per deployment: concurrent first calls share it). A read that fails
 * or takes longer than {@link DETECTION_TIMEOUT_MS} gives `generic` —
 * LiteLLM's layout — and is tried again after {@link DETECTION_RETRY_MS}.
 */
export class BackendDetector {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The backend of the model at `configUrl`. */
  backendFor(options: DetectBackendOptions): Promise<TritonBackend> {
    const cached = this.#cache.get(options.configUrl);
    if (cached?.backend && (cached.retryAt === undefined || cached.retryAt > this.#now())) {
      return cached.backend;
    }
    const entry: CacheEntry = { backend: undefined, retryAt: undefined };
    this.#cache.set(options.configUrl, entry);
    entry.backend = this.#read(options, entry);
    return entry.backend;
  }

  async #read(options: DetectBackendOptions, entry: CacheEntry): Promise<TritonBackend> {
    const { ctx } = options;
    try {
      const { data } = await ctx.http.json({
        url: options.configUrl,
        method: 'GET',
        headers: options.headers,
        provider: 'triton',
        model: ctx.model,
        mapFailure: tritonFailureMapper,
        // No caller signal: the read is shared, and one caller hanging up
        // must not make every other call forget the model's backend.
        timeoutMs: Math.min(DETECTION_TIMEOUT_MS, ctx.timeoutMs ?? DETECTION_TIMEOUT_MS),
      });
      return backendFromConfig(data);
    } catch {
      // The generation call reports any real failure itself; here it only
      // means nothing was learned, so LiteLLM's layout is used for now.
      entry.retryAt = this.#now() + DETECTION_RETRY_MS;
      return 'generic';
    }
  }
}

/** Input to {@link chooseBackend}. */
export interface ChooseBackendOptions {
  /** `triton_backend`, when the call gives it: it always wins. */
  explicit: TritonBackend | undefined;
  /** The generation URL the call goes to. */
  url: string;
  headers: Record<string, string>;
  ctx: CallContext;
  /** Undefined: no detection, LiteLLM's `generic`. */
  detector: BackendDetector | undefined;
}

/** The backend a call lays its request out for: explicit, else detected, else `generic`. */
export function chooseBackend(options: ChooseBackendOptions): Promise<TritonBackend> {
  if (options.explicit !== undefined) return Promise.resolve(options.explicit);
  const configUrl = configUrlOf(options.url);
  if (configUrl === undefined || options.detector === undefined) return Promise.resolve('generic');
  return options.detector.backendFor({ configUrl, headers: options.headers, ctx: options.ctx });
}
