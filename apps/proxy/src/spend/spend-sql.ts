import { currentPeriodEnd } from '../keys/duration';
import type { SqlDb } from '../store/sql-db';
import type { SpendRow } from './spend-row';

const COLUMNS = `request_id text, litellm_call_id text, call_type text, api_key text, spend double precision,
  prompt_tokens integer, completion_tokens integer, total_tokens integer,
  "startTime" timestamptz, "endTime" timestamptz, "completionStartTime" timestamptz,
  model text, model_id text, model_group text, api_base text, "user" text, team_id text,
  end_user text, status text, cost_source text, latency_ms double precision, metadata jsonb`;
const NAMES = COLUMNS.split(',')
  .map(c => c.trim().split(/\s+/)[0])
  .join(', ');

/**
 * Writes one batch in one transaction: the rows are inserted keyed by
 * `request_id` (a row already there is skipped, so a retried batch counts
 * once), and only the rows actually inserted add to key, user and team
 * spend. Those increments run one row at a time in a fixed order (table,
 * then id), so concurrent writers on several instances lock rows in the
 * same order and cannot deadlock — the failure LiteLLM users hit with
 * unordered batch UPDATEs. Returns how many rows were new.
 */
export async function writeSpendBatch(db: SqlDb, rows: readonly SpendRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const sorted = [...rows].sort((a, b) => (a.request_id < b.request_id ? -1 : 1));
  return db.transaction(async tx => {
    const inserted = await tx.query<{
      api_key: string;
      spend: number;
      user: string | null;
      team_id: string | null;
    }>(
      `INSERT INTO "LiteLLM_SpendLogs" (${NAMES})
       SELECT ${NAMES} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS})
       ON CONFLICT (request_id) DO NOTHING
       RETURNING api_key, spend, "user", team_id`,
      [JSON.stringify(sorted)],
    );
    const add = (map: Map<string, number>, id: string | null, spend: number) => {
      if (id !== null && id !== '' && spend > 0) map.set(id, (map.get(id) ?? 0) + spend);
    };
    const keys = new Map<string, number>();
    const users = new Map<string, number>();
    const teams = new Map<string, number>();
    for (const r of inserted) {
      add(keys, r.api_key, r.spend);
      add(users, r.user, r.spend);
      add(teams, r.team_id, r.spend);
    }
    const apply = async (table: string, pk: string, map: Map<string, number>) => {
      for (const id of [...map.keys()].sort()) {
        await tx.query(`UPDATE ${table} SET spend = spend + $2 WHERE ${pk} = $1`, [
          id,
          map.get(id),
        ]);
      }
    };
    await apply('"LiteLLM_TeamTable"', 'team_id', teams);
    await apply('"LiteLLM_UserTable"', 'user_id', users);
    await apply('"LiteLLM_VerificationToken"', 'token', keys);
    return inserted.length;
  });
}

/**
 * Starts a new budget period for every key, user and team whose
 * `budget_reset_at` has passed: spend back to 0, the next reset one
 * duration on. One row per statement, guarded by the old reset time, so
 * instances running this together reset each row once and never lock two
 * rows at a time.
 */
export async function resetDueBudgets(db: SqlDb, now = new Date()): Promise<number> {
  let count = 0;
  for (const [table, pk] of [
    ['"LiteLLM_TeamTable"', 'team_id'],
    ['"LiteLLM_UserTable"', 'user_id'],
    ['"LiteLLM_VerificationToken"', 'token'],
  ] as const) {
    const due = await db.query<{ id: string; budget_duration: string; budget_reset_at: Date }>(
      `SELECT ${pk} AS id, budget_duration, budget_reset_at FROM ${table}
       WHERE budget_reset_at IS NOT NULL AND budget_duration IS NOT NULL AND budget_reset_at <= $1
       ORDER BY ${pk}`,
      [now],
    );
    for (const row of due) {
      const next = currentPeriodEnd(new Date(row.budget_reset_at), row.budget_duration, now);
      const done = await db.query(
        `UPDATE ${table} SET spend = 0, budget_reset_at = $2 WHERE ${pk} = $1 AND budget_reset_at = $3 RETURNING 1`,
        [row.id, next, row.budget_reset_at],
      );
      count += done.length;
    }
  }
  return count;
}
