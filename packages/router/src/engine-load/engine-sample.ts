import { readPrometheusSamples } from './prometheus-text';

/** What an engine last reported about its load. */
export interface EngineLoad {
  /** Requests being executed (vLLM running; Triton TRT-LLM active). */
  running: number;
  /** Requests queued (vLLM waiting; Triton pending). */
  waiting: number;
  /** KV-cache usage in [0, 1], when the engine reports it. */
  kvCacheUsage: number | undefined;
  /** When the sample was taken (router clock, ms). */
  at: number;
}

const RUNNING = 'vllm:num_requests_running';
const WAITING = 'vllm:num_requests_waiting';
const KV_USAGE = 'vllm:kv_cache_usage_perc';
/** The KV-cache gauge's name before vLLM 0.10. */
const KV_USAGE_OLD = 'vllm:gpu_cache_usage_perc';
const TRITON_PENDING = 'nv_inference_pending_request_count';
const TRTLLM_REQUESTS = 'nv_trt_llm_request_metrics';

const WANTED: ReadonlySet<string> = new Set([
  RUNNING,
  WAITING,
  KV_USAGE,
  KV_USAGE_OLD,
  TRITON_PENDING,
  TRTLLM_REQUESTS,
]);

/**
 * The load an engine's `/metrics` page reports, summed over the models it
 * serves: vLLM's running / waiting gauges and KV-cache usage (also what
 * Triton's vLLM backend exports), Triton's pending-request gauge and the
 * TensorRT-LLM backend's active / waiting request counts. Undefined when the
 * page holds none of them — the caller then relies on its own counts.
 */
export function engineLoadFromMetrics(text: string, at: number): EngineLoad | undefined {
  const samples = readPrometheusSamples(text, WANTED);
  if (samples.size === 0) return undefined;
  const sum = (name: string, filter?: string): number => {
    let total = 0;
    for (const s of samples.get(name) ?? []) {
      if (filter === undefined || s.labels.includes(filter)) total += s.value;
    }
    return total;
  };
  let kv: number | undefined;
  for (const name of [KV_USAGE, KV_USAGE_OLD]) {
    for (const s of samples.get(name) ?? []) kv = Math.max(kv ?? 0, s.value);
    if (kv !== undefined) break;
  }
  return {
    running: sum(RUNNING) + sum(TRTLLM_REQUESTS, 'request_type="active"'),
    waiting: sum(WAITING) + sum(TRITON_PENDING) + sum(TRTLLM_REQUESTS, 'request_type="waiting"'),
    kvCacheUsage: kv,
    at,
  };
}
