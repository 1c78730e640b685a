/**
 * Per-model counters the emulator really measures, rendered with Triton's
 * Prometheus metric names (`nv_inference_*`, labels `model` and `version`).
 */

/** Counters of one model version. */
export class ModelMetrics {
  requestSuccess = 0;
  requestFailure = 0;
  /** Inferences performed (batch size 1 each in the emulator). */
  inferenceCount = 0;
  /** Model executions. */
  execCount = 0;
  /** Requests accepted and still waiting for their first response. */
  pending = 0;
  requestDurationUs = 0;
  /** Part of requestDurationUs spent in requests that failed. */
  failureDurationUs = 0;
  computeInferDurationUs = 0;
  /** Unix ms of the last finished inference; 0 before any. */
  lastInference = 0;
}

interface Series {
  model: string;
  version: string;
  metrics: ModelMetrics;
}

const FAMILIES: Array<{
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  value: (m: ModelMetrics) => number;
}> = [
  {
    name: 'nv_inference_request_success',
    type: 'counter',
    help: 'Number of successful inference requests, all batch sizes',
    value: m => m.requestSuccess,
  },
  {
    name: 'nv_inference_request_failure',
    type: 'counter',
    help: 'Number of failed inference requests, all batch sizes',
    value: m => m.requestFailure,
  },
  {
    name: 'nv_inference_count',
    type: 'counter',
    help: 'Number of inferences performed (does not include cached requests)',
    value: m => m.inferenceCount,
  },
  {
    name: 'nv_inference_exec_count',
    type: 'counter',
    help: 'Number of model executions performed (does not include cached requests)',
    value: m => m.execCount,
  },
  {
    name: 'nv_inference_request_duration_us',
    type: 'counter',
    help: 'Cumulative inference request duration in microseconds (includes cached requests)',
    value: m => m.requestDurationUs,
  },
  {
    name: 'nv_inference_compute_infer_duration_us',
    type: 'counter',
    help: 'Cumulative compute inference duration in microseconds (does not include cached requests)',
    value: m => m.computeInferDurationUs,
  },
  {
    name: 'nv_inference_pending_request_count',
    type: 'gauge',
    help: 'Instantaneous number of pending requests awaiting execution per-model.',
    value: m => m.pending,
  },
];

/** Prometheus text exposition of every model's counters. */
export function renderMetrics(series: Series[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of series) {
      lines.push(
        `${family.name}{model="${s.model}",version="${s.version}"} ${family.value(s.metrics)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
