import { addDuration } from './duration';
import type { GenerateKeyRequest } from './request-schemas';

/**
 * Columns to write for a key from a generate / update / regenerate body:
 * `duration` becomes `expires`, `budget_duration` also sets the first
 * `budget_reset_at`; `null` clears a field, absent leaves it.
 */
export function keyColumns(body: Partial<GenerateKeyRequest>, now: Date): Record<string, unknown> {
  const cols: Record<string, unknown> = {};
  for (const name of [
    'key_alias',
    'models',
    'aliases',
    'config',
    'permissions',
    'metadata',
    'spend',
    'max_budget',
    'budget_duration',
    'user_id',
    'team_id',
    'max_parallel_requests',
    'tpm_limit',
    'rpm_limit',
    'blocked',
  ] as const) {
    if (body[name] !== undefined) cols[name] = body[name];
  }
  if (body.duration !== undefined)
    cols.expires = body.duration === null ? null : addDuration(now, body.duration);
  if (body.budget_duration !== undefined)
    cols.budget_reset_at =
      body.budget_duration === null ? null : addDuration(now, body.budget_duration);
  if (cols.blocked === null) cols.blocked = false;
  return cols;
}
