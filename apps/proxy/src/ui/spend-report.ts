import { sendJson } from '../http/send';
import { intParam, type ManagementCall, managementRoute } from '../keys/management-access';

/** Rows a report answers at most; past it `truncated` says the page shows part of the spend. */
const MAX_ROWS = 20_000;

interface SpendGroupRow {
  day: string;
  api_key: string;
  key_alias: string | null;
  key_name: string | null;
  team_id: string | null;
  user: string | null;
  model: string;
  spend: number | string;
  requests: number;
  tokens: number | string | null;
}

/**
 * `/ui/api/spend?days=30`: spend logs summed per UTC day × key × team ×
 * user × model, from the same table `/spend/logs` reads; the page groups
 * these rows by whichever of them it shows, and exports them as CSV. The
 * master key's own calls are named `master`, never by its hash.
 */
async function spendReport(call: ManagementCall): Promise<void> {
  const days = intParam(call.ex, 'days', 30, 366);
  const db = await call.keys.db();
  const rows = await db.query<SpendGroupRow>(
    `SELECT to_char(s."startTime" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, s.api_key,
            k.key_alias, k.key_name, s.team_id, s."user", s.model,
            sum(s.spend) AS spend, count(*)::int AS requests, sum(s.total_tokens) AS tokens
       FROM "LiteLLM_SpendLogs" s
       LEFT JOIN "LiteLLM_VerificationToken" k ON k.token = s.api_key
      WHERE s."startTime" >= (now() AT TIME ZONE 'UTC')::date - $1::int + 1
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 1, 2, 7
      LIMIT ${MAX_ROWS + 1}`,
    [days],
  );
  const master = call.keys.masterToken;
  sendJson(call.ex.res, 200, {
    days,
    truncated: rows.length > MAX_ROWS,
    rows: rows.slice(0, MAX_ROWS).map(r => ({
      day: r.day,
      key: r.api_key === master ? 'master' : r.api_key,
      key_alias: r.key_alias,
      key_name: r.api_key === master ? 'master key' : r.key_name,
      team_id: r.team_id,
      user_id: r.user,
      model: r.model,
      spend: Number(r.spend),
      requests: r.requests,
      tokens: r.tokens === null ? null : Number(r.tokens),
    })),
  });
}

export const uiSpendRoute = managementRoute('GET', spendReport);
