import type { TableSpec } from '../store/row-writer';

const budgetColumns = {
  max_budget: 'plain',
  spend: 'plain',
  models: 'text[]',
  tpm_limit: 'plain',
  rpm_limit: 'plain',
  max_parallel_requests: 'plain',
  budget_duration: 'plain',
  budget_reset_at: 'plain',
  metadata: 'json',
} as const;

/** `LiteLLM_VerificationToken`: one row per virtual key, keyed by the key's SHA-256. */
export const KEY_TABLE: TableSpec = {
  table: '"LiteLLM_VerificationToken"',
  primaryKey: 'token',
  columns: {
    ...budgetColumns,
    token: 'plain',
    key_name: 'plain',
    key_alias: 'plain',
    expires: 'plain',
    aliases: 'json',
    config: 'json',
    permissions: 'json',
    user_id: 'plain',
    team_id: 'plain',
    blocked: 'plain',
    created_by: 'plain',
    updated_by: 'plain',
  },
};

/** `LiteLLM_UserTable`. */
export const USER_TABLE: TableSpec = {
  table: '"LiteLLM_UserTable"',
  primaryKey: 'user_id',
  columns: {
    ...budgetColumns,
    user_id: 'plain',
    user_alias: 'plain',
    user_email: 'plain',
    user_role: 'plain',
    team_id: 'plain',
    teams: 'text[]',
  },
};

/** `LiteLLM_TeamTable`. */
export const TEAM_TABLE: TableSpec = {
  table: '"LiteLLM_TeamTable"',
  primaryKey: 'team_id',
  columns: {
    ...budgetColumns,
    team_id: 'plain',
    team_alias: 'plain',
    admins: 'text[]',
    members: 'text[]',
    members_with_roles: 'json',
    blocked: 'plain',
  },
};

/** A row as the database returns it (timestamps as Date). */
export type Row = Record<string, unknown>;

/** A row as the endpoints answer it: timestamps as ISO strings, LiteLLM's shape. */
export function rowToJson(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}
