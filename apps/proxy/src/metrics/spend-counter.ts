import type { AuthRecord } from '../keys/auth-record';
import { Counter } from './counter';

/** One priced request, as the spend counter sees it. */
export interface SpendSample {
  /** USD. */
  cost: number;
  /** The model group asked for (a served name). */
  model: string;
  /** The deployment that answered. */
  modelId: string | undefined;
  /** The key's hash (the master key's for master-key calls). */
  token: string;
  record: AuthRecord | undefined;
  /** The body's `user`. */
  endUser: string | null;
}

/**
 * `litellm_spend_metric`: USD per model group, deployment and team; per
 * key, user and end user only with `switchyard_metrics_key_labels` (each
 * of those is made at runtime or named by clients, so it would add series
 * without bound).
 */
export class SpendCounter {
  readonly counter = new Counter('litellm_spend_metric', 'Spend on LLM requests, USD');

  constructor(readonly keyLabels: boolean) {}

  record(s: SpendSample): void {
    // Unpriced requests (no usage, no price) add nothing, and make no series.
    if (!(s.cost > 0)) return;
    const labels: Record<string, string> = {
      model: s.model,
      model_id: s.modelId ?? '',
      team: s.record?.teamId ?? '',
      team_alias: s.record?.teamAlias ?? '',
    };
    if (this.keyLabels) {
      labels.hashed_api_key = s.token;
      labels.api_key_alias = s.record?.keyAlias ?? '';
      labels.user = s.record?.userId ?? '';
      labels.end_user = s.endUser ?? '';
    }
    this.counter.handle(labels).inc(s.cost);
  }
}
