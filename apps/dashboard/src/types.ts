/** The JSON the proxy's admin endpoints answer (see apps/proxy/src/ui). */

export interface Session {
  admin: boolean;
  key_management: boolean;
  store_prompts: boolean;
  model_groups: string[];
  started_at: number;
}

export interface LivePoint {
  t: number;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  ttftP50Ms: number | null;
  outputTokens: number;
}

export interface LiveSeries {
  from: number;
  stepS: number;
  total: LivePoint[];
  groups: Record<string, LivePoint[]>;
}

export interface DeploymentRow {
  model_id: string;
  model_name: string;
  model: string;
  api_base: string | null;
  state: 'healthy' | 'cooldown';
  cooldown_until: string | null;
  in_flight: number;
  rpm: number;
  tpm: number;
  latency_ms: number | null;
  engine_load: {
    running: number;
    waiting: number;
    kv_cache_usage: number | null;
    age_ms: number;
  } | null;
}

export interface RequestRow {
  at: string;
  call_id: string;
  method: string;
  route: string;
  status: number;
  model: string | null;
  model_group: string | null;
  model_id: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  cost: number | null;
  cost_source: string;
  key: string | null;
  key_alias: string | null;
  team_id: string | null;
  user_id: string | null;
  error: string | null;
  prompt: string | null;
}

export interface KeyRow {
  token: string;
  key_name: string | null;
  key_alias: string | null;
  models: string[] | null;
  spend: number;
  max_budget: number | null;
  budget_duration: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  expires: string | null;
  blocked: boolean | null;
  team_id: string | null;
  user_id: string | null;
  created_at: string | null;
}

export interface SpendRow {
  day: string;
  key: string;
  key_alias: string | null;
  key_name: string | null;
  team_id: string | null;
  user_id: string | null;
  model: string;
  spend: number;
  requests: number;
  tokens: number | null;
}
