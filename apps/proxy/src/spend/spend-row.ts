import { storableJson, storableText } from '../store/storable-value';

/**
 * One `LiteLLM_SpendLogs` row, as buffered in the write-ahead log and
 * inserted in batches. `request_id` is the proxy's own id for the request:
 * inserts are keyed by it, so a batch written twice (a retry after a crash)
 * counts once, and no client can make two requests share a row.
 */
export interface SpendRow {
  /** The proxy's id: the generated `x-litellm-call-id`, or a fresh one when the client chose that header. */
  request_id: string;
  /**
   * The `x-litellm-call-id` the client saw (its own when it sent one), for
   * tracing only: it may repeat, so nothing is keyed by it. Absent in rows
   * logged before it existed.
   */
  litellm_call_id?: string;
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

const TEXT_FIELDS = [
  'request_id',
  'litellm_call_id',
  'call_type',
  'api_key',
  'startTime',
  'endTime',
  'completionStartTime',
  'model',
  'model_id',
  'model_group',
  'api_base',
  'user',
  'team_id',
  'end_user',
  'status',
  'cost_source',
] as const;

/**
 * Makes a row storable in place: every text field and the metadata go
 * through `store/storable-value.ts` (NUL and unpaired surrogates become
 * U+FFFD, over-long text is cut with a mark). A spend row is written after
 * its answer was sent, so nothing can be refused any more: the row is kept,
 * marked, rather than lost or left to block the rows behind it. Fields of
 * other types are left for the database to judge (a row it refuses goes to
 * the dead-letter file).
 */
export function makeStorable(row: SpendRow): SpendRow {
  const fields = row as unknown as Record<string, unknown>;
  for (const name of TEXT_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string') fields[name] = storableText(value);
  }
  if (row.metadata !== null && typeof row.metadata === 'object')
    row.metadata = storableJson(row.metadata) as Record<string, unknown>;
  return row;
}
