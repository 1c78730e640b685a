/** Live counters behind `GET /metrics`, with vLLM's metric names (spec §A.7). */
export class VllmMetrics {
  running = 0;
  /** Context tokens (prompt + budget) held by running requests, for the KV-cache gauge. */
  tokensInFlight = 0;
  promptTokens = 0;
  generationTokens = 0;
  /** Prompt tokens looked up in the prefix cache, and those found (vLLM counts tokens). */
  prefixQueries = 0;
  prefixHits = 0;
  readonly finished = new Map<string, number>();

  /** Marks a generation request as running; call the returned function once when it ends. */
  start(contextTokens: number): () => void {
    this.running++;
    this.tokensInFlight += contextTokens;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      this.tokensInFlight -= contextTokens;
    };
  }

  /** Counts a finished request's tokens and finish reason. */
  record(options: {
    promptTokens: number;
    generationTokens: number;
    finishReasons: string[];
  }): void {
    this.promptTokens += options.promptTokens;
    this.generationTokens += options.generationTokens;
    for (const reason of options.finishReasons) {
      this.finished.set(reason, (this.finished.get(reason) ?? 0) + 1);
    }
  }

  /**
   * Prometheus text exposition. The KV-cache gauge is the share of an
   * emulated cache of `maxNumSeqs` full-length sequences (vLLM's default
   * max_num_seqs is 256) that the running requests hold. Prefix-cache
   * counters appear under their current names and the `gpu_` names of
   * earlier V1 releases.
   */
  render(options: {
    modelName: string;
    maxModelLen: number;
    maxNumSeqs?: number;
    /** Requests queued for a slot. */
    waiting?: number;
  }): string {
    const label = `model_name="${options.modelName.replace(/["\\]/g, '\\$&')}"`;
    const capacity = options.maxModelLen * (options.maxNumSeqs ?? 256);
    const usage = capacity > 0 ? Math.min(1, this.tokensInFlight / capacity) : 0;
    const lines = [
      gauge(
        'vllm:num_requests_running',
        'Number of requests in model execution batches.',
        label,
        this.running,
      ),
      gauge(
        'vllm:num_requests_waiting',
        'Number of requests waiting to be processed.',
        label,
        options.waiting ?? 0,
      ),
      gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', label, usage),
      gauge(
        'vllm:gpu_cache_usage_perc',
        'GPU KV-cache usage. 1 means 100 percent usage.',
        label,
        usage,
      ),
      counter(
        'vllm:prompt_tokens_total',
        'Number of prefill tokens processed.',
        label,
        this.promptTokens,
      ),
      counter(
        'vllm:generation_tokens_total',
        'Number of generation tokens processed.',
        label,
        this.generationTokens,
      ),
      counter(
        'vllm:prefix_cache_queries_total',
        'Prefix cache queries, in terms of number of queried tokens.',
        label,
        this.prefixQueries,
      ),
      counter(
        'vllm:prefix_cache_hits_total',
        'Prefix cache hits, in terms of number of cached tokens.',
        label,
        this.prefixHits,
      ),
      counter(
        'vllm:gpu_prefix_cache_queries_total',
        'GPU prefix cache queries, in terms of number of queried tokens.',
        label,
        this.prefixQueries,
      ),
      counter(
        'vllm:gpu_prefix_cache_hits_total',
        'GPU prefix cache hits, in terms of number of cached tokens.',
        label,
        this.prefixHits,
      ),
      '# HELP vllm:request_success_total Count of successfully processed requests.',
      '# TYPE vllm:request_success_total counter',
      ...[...this.finished].map(
        ([reason, count]) =>
          `vllm:request_success_total{finished_reason="${reason}",${label}} ${num(count)}`,
      ),
    ];
    return `${lines.join('\n')}\n`;
  }
}

function gauge(name: string, help: string, label: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{${label}} ${num(value)}`;
}

function counter(name: string, help: string, label: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}{${label}} ${num(value)}`;
}

/** Prometheus floats: integers keep the `.0` Python's client prints. */
function num(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
