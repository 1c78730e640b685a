import type { Queryable } from '../store/sql-db';

/** Limits and budget of one key, user or team, as the hot path reads them. */
export interface EntityLimits {
  /** `key:<hash>`, `user:<id>`, `team:<id>`. */
  scope: string;
  models: readonly string[];
  rpm?: number;
  tpm?: number;
  parallel?: number;
  maxBudget?: number;
  budgetDuration?: string;
  /** ms since epoch. */
  budgetResetAt?: number;
  /** Spend the database has for the current period. */
  spend: number;
  blocked: boolean;
}

/** A virtual key with its user and team, cached in memory per key hash. */
export interface AuthRecord {
  token: string;
  keyAlias: string | null;
  userId: string | null;
  teamId: string | null;
  /** The team's `team_alias` (a metrics label). */
  teamAlias: string | null;
  /** ms since epoch; undefined = never. */
  expiresAt?: number;
  metadata: Record<string, unknown>;
  key: EntityLimits;
  user?: EntityLimits;
  team?: EntityLimits;
}

type Json = Record<string, unknown>;

/**
 * Loads a key, its user and its team in one statement (one connection,
 * one round trip). Undefined when no such key.
 */
export async function loadAuthRecord(
  db: Queryable,
  token: string,
): Promise<AuthRecord | undefined> {
  const rows = await db.query<{ k: Json; u: Json | null; t: Json | null }>(
    `SELECT row_to_json(k.*) AS k, row_to_json(u.*) AS u, row_to_json(t.*) AS t
     FROM "LiteLLM_VerificationToken" k
     LEFT JOIN "LiteLLM_UserTable" u ON u.user_id = k.user_id
     LEFT JOIN "LiteLLM_TeamTable" t ON t.team_id = k.team_id
     WHERE k.token = $1`,
    [token],
  );
  const row = rows[0];
  if (!row) return undefined;
  const k = parse(row.k);
  const expires = k.expires == null ? undefined : Date.parse(String(k.expires));
  return {
    token,
    keyAlias: (k.key_alias as string | null) ?? null,
    userId: (k.user_id as string | null) ?? null,
    teamId: (k.team_id as string | null) ?? null,
    teamAlias: row.t ? ((parse(row.t).team_alias as string | null) ?? null) : null,
    expiresAt: expires,
    metadata: (k.metadata as Json | null) ?? {},
    key: limitsOf(`key:${token}`, k),
    user: row.u ? limitsOf(`user:${parse(row.u).user_id}`, parse(row.u)) : undefined,
    team: row.t ? limitsOf(`team:${parse(row.t).team_id}`, parse(row.t)) : undefined,
  };
}

/** PGlite hands back JSON as an object, some drivers as text. */
function parse(value: Json | string): Json {
  return typeof value === 'string' ? (JSON.parse(value) as Json) : value;
}

function limitsOf(scope: string, row: Json): EntityLimits {
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const reset = row.budget_reset_at == null ? undefined : Date.parse(String(row.budget_reset_at));
  return {
    scope,
    models: Array.isArray(row.models) ? (row.models as string[]) : [],
    rpm: num(row.rpm_limit),
    tpm: num(row.tpm_limit),
    parallel: num(row.max_parallel_requests),
    maxBudget: num(row.max_budget),
    budgetDuration: (row.budget_duration as string | null) ?? undefined,
    budgetResetAt: reset,
    spend: Number(row.spend ?? 0),
    blocked: row.blocked === true,
  };
}
