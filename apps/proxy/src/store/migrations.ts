import type { Queryable, SqlDb } from './sql-db';

/** One schema step; `id` orders them and is recorded once applied. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * The schema, in LiteLLM's table and column names (`LiteLLM_VerificationToken`,
 * `LiteLLM_SpendLogs`, …) so existing SQL reports keep working. Spend is
 * DOUBLE PRECISION as in LiteLLM's Prisma schema (Float). Append only: a
 * shipped migration is never edited, a change is a new entry.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_keys_users_teams_spend',
    sql: `
CREATE TABLE "LiteLLM_UserTable" (
  user_id TEXT PRIMARY KEY,
  user_alias TEXT,
  user_email TEXT,
  user_role TEXT,
  team_id TEXT,
  teams TEXT[] NOT NULL DEFAULT '{}',
  max_budget DOUBLE PRECISION,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  models TEXT[] NOT NULL DEFAULT '{}',
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  max_parallel_requests INTEGER,
  budget_duration TEXT,
  budget_reset_at TIMESTAMPTZ,
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE "LiteLLM_TeamTable" (
  team_id TEXT PRIMARY KEY,
  team_alias TEXT,
  admins TEXT[] NOT NULL DEFAULT '{}',
  members TEXT[] NOT NULL DEFAULT '{}',
  members_with_roles JSONB NOT NULL DEFAULT '[]',
  metadata JSONB NOT NULL DEFAULT '{}',
  max_budget DOUBLE PRECISION,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  models TEXT[] NOT NULL DEFAULT '{}',
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  max_parallel_requests INTEGER,
  budget_duration TEXT,
  budget_reset_at TIMESTAMPTZ,
  blocked BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE "LiteLLM_VerificationToken" (
  token TEXT PRIMARY KEY,
  key_name TEXT,
  key_alias TEXT,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  expires TIMESTAMPTZ,
  models TEXT[] NOT NULL DEFAULT '{}',
  aliases JSONB NOT NULL DEFAULT '{}',
  config JSONB NOT NULL DEFAULT '{}',
  permissions JSONB NOT NULL DEFAULT '{}',
  metadata JSONB NOT NULL DEFAULT '{}',
  user_id TEXT,
  team_id TEXT,
  max_parallel_requests INTEGER,
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  max_budget DOUBLE PRECISION,
  budget_duration TEXT,
  budget_reset_at TIMESTAMPTZ,
  blocked BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_by TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_by TEXT
);
CREATE INDEX "LiteLLM_VerificationToken_user_id_idx" ON "LiteLLM_VerificationToken" (user_id);
CREATE INDEX "LiteLLM_VerificationToken_team_id_idx" ON "LiteLLM_VerificationToken" (team_id);
CREATE TABLE "LiteLLM_SpendLogs" (
  request_id TEXT PRIMARY KEY,
  call_type TEXT NOT NULL,
  api_key TEXT NOT NULL DEFAULT '',
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  total_tokens INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  "startTime" TIMESTAMPTZ NOT NULL,
  "endTime" TIMESTAMPTZ NOT NULL,
  "completionStartTime" TIMESTAMPTZ,
  model TEXT NOT NULL DEFAULT '',
  model_id TEXT,
  model_group TEXT,
  api_base TEXT,
  "user" TEXT,
  team_id TEXT,
  end_user TEXT,
  status TEXT NOT NULL,
  cost_source TEXT NOT NULL,
  latency_ms DOUBLE PRECISION,
  metadata JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs" ("startTime");
CREATE INDEX "LiteLLM_SpendLogs_api_key_idx" ON "LiteLLM_SpendLogs" (api_key);
`,
  },
  {
    // request_id becomes the proxy's own id; the call id a client may choose
    // (and repeat) is kept beside it for tracing, as LiteLLM does. Rows from
    // before keep a NULL here: their request_id was the call id.
    id: '0002_spend_logs_litellm_call_id',
    sql: `
ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN litellm_call_id TEXT;
CREATE INDEX "LiteLLM_SpendLogs_litellm_call_id_idx" ON "LiteLLM_SpendLogs" (litellm_call_id);
`,
  },
  {
    // Stored Responses API answers (`store: true`): the response, the request's own
    // input items, and the whole conversation it continued, so `previous_response_id`
    // is one read on any instance; items by id for `item_reference`.
    id: '0003_stored_responses',
    sql: `
CREATE TABLE switchyard_responses (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  response JSONB NOT NULL,
  input_items JSONB NOT NULL,
  context JSONB NOT NULL
);
CREATE TABLE switchyard_response_items (
  item_id TEXT PRIMARY KEY,
  response_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  item JSONB NOT NULL
);
CREATE INDEX switchyard_response_items_response_idx ON switchyard_response_items (response_id);
`,
  },
];

/** Any constant; all instances agree on it so only one migrates at a time. */
const MIGRATION_LOCK = 7_370_101;

/**
 * Applies the migrations not yet recorded, in one transaction under an
 * advisory lock: replicas starting together queue behind the first, which
 * does the work; the others find nothing left. Returns the ids applied.
 */
export async function runMigrations(db: SqlDb): Promise<string[]> {
  return db.transaction(async tx => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS switchyard_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM switchyard_migrations')).map(r => r.id),
    );
    const applied: string[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await execScript(tx, m.sql);
      await tx.query('INSERT INTO switchyard_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Ids of migrations not applied yet (empty when the schema is current). */
export async function pendingMigrations(db: Queryable): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>(
    "SELECT to_regclass('switchyard_migrations')::text AS t",
  );
  if (exists[0]?.t == null) return MIGRATIONS.map(m => m.id);
  const done = new Set(
    (await db.query<{ id: string }>('SELECT id FROM switchyard_migrations')).map(r => r.id),
  );
  return MIGRATIONS.filter(m => !done.has(m.id)).map(m => m.id);
}

/** Extended-protocol queries take one statement each; a migration is split on `;` line ends. */
async function execScript(tx: Queryable, sql: string): Promise<void> {
  for (const statement of sql.split(/;\s*\n/)) {
    if (statement.trim() !== '') await tx.query(statement);
  }
}
