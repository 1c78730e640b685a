/**
 * One `LiteLLM_SpendLogs` row, as buffered in the write-ahead log and
 * inserted in batches. `request_id` is the `x-litellm-call-id`: inserts are
 * keyed by it, so a batch written twice (a retry after a crash) counts once.
 */
export interface SpendRow {
  request_id: string;
  call_type: string;
  /** SHA-256 of the key used (the master key's too). */
  api_key: string;
  spend: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  startTime: string;
  endTime: string;
  completionStartTime: string | null;
  /** What the client asked for. */
  model: string;
  model_id: string | null;
  model_group: string | null;
  api_base: string | null;
  user: string | null;
  team_id: string | null;
  end_user: string | null;
  status: 'success' | 'failure';
  /** `model_info`, `default_table`, or `unknown` (cost 0 because no price is known). */
  cost_source: string;
  latency_ms: number;
  metadata: Record<string, unknown>;
}
