import { ProxyError } from '../http/proxy-error';
import { sendJson } from '../http/send';
import { tokenOf } from './key-secret';
import { intParam, type ManagementCall, managementRoute, queryOf } from './management-access';
import { type Row, rowToJson } from './tables';

/** `2025-01-31`, optionally followed by a time (`T10:00:00Z`). */
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?=$|[T ])/;

/**
 * A date query parameter, checked here and handed to the database in one
 * unambiguous spelling: JavaScript's parser rolls `2025-02-30` over to
 * March while Postgres refuses it (a failed query, once a 500).
 */
function dateParam(value: string | null, name: string): { iso: string; day: string } | undefined {
  if (value === null || value === '') return undefined;
  const m = DATE.exec(value);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const calendar = new Date(0);
  calendar.setUTCFullYear(y, mo - 1, d);
  const at = new Date(value);
  const real =
    y >= 1 &&
    calendar.getUTCMonth() === mo - 1 &&
    calendar.getUTCDate() === d &&
    !Number.isNaN(at.getTime()) &&
    at.getUTCFullYear() <= 9999;
  if (!real) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: name,
      message: `Query parameter ${name}: expected a date like 2025-01-31, got "${value}"`,
    });
  }
  return { iso: at.toISOString(), day: m![0] };
}

/**
 * `/spend/logs`: rows filtered by `api_key` (plaintext or hash), `user_id`,
 * `request_id` (matching `litellm_call_id` too); with `start_date` and `end_date` (and `summarize` not
 * `false`) one entry per day with spend per model, user and key, as
 * LiteLLM answers.
 */
async function spendLogs(call: ManagementCall): Promise<void> {
  const q = queryOf(call.ex);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  const apiKey = q.get('api_key');
  if (apiKey) add('api_key = ?', tokenOf(apiKey));
  if (q.get('user_id')) add('"user" = ?', q.get('user_id'));
  // The proxy's id or the call id the client saw (its own, when it sent one).
  if (q.get('request_id')) add('(request_id = ? OR litellm_call_id = ?)', q.get('request_id'));
  const start = dateParam(q.get('start_date'), 'start_date');
  const end = dateParam(q.get('end_date'), 'end_date');
  if (start) add('"startTime" >= ?::timestamptz', start.iso);
  // end_date is a whole day: rows up to its end count.
  if (end) add(`"startTime" < (?::date + 1)`, end.day);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const db = await call.keys.db();
  if (start && end && q.get('summarize') !== 'false') {
    const rows = await db.query<{
      day: string;
      model: string;
      user: string | null;
      api_key: string;
      spend: number;
    }>(
      `SELECT to_char("startTime" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, model, "user", api_key, sum(spend) AS spend
       FROM "LiteLLM_SpendLogs" ${clause} GROUP BY 1, 2, 3, 4 ORDER BY 1`,
      params,
    );
    const days = new Map<
      string,
      {
        startTime: string;
        spend: number;
        models: Record<string, number>;
        users: Record<string, number>;
        api_keys: Record<string, number>;
      }
    >();
    for (const r of rows) {
      let day = days.get(r.day);
      if (!day) {
        day = { startTime: r.day, spend: 0, models: {}, users: {}, api_keys: {} };
        days.set(r.day, day);
      }
      const s = Number(r.spend);
      day.spend += s;
      day.models[r.model] = (day.models[r.model] ?? 0) + s;
      if (r.user) day.users[r.user] = (day.users[r.user] ?? 0) + s;
      day.api_keys[r.api_key] = (day.api_keys[r.api_key] ?? 0) + s;
    }
    sendJson(call.ex.res, 200, [...days.values()]);
    return;
  }
  const limit = intParam(call.ex, 'limit', 1000, 100_000);
  const rows = await db.query<Row>(
    `SELECT * FROM "LiteLLM_SpendLogs" ${clause} ORDER BY "startTime" DESC, request_id LIMIT ${limit}`,
    params,
  );
  sendJson(call.ex.res, 200, rows.map(rowToJson));
}

/** `/global/spend`: spend of the last 30 days (LiteLLM's MonthlyGlobalSpend) and the proxy budget. */
async function globalSpend(call: ManagementCall): Promise<void> {
  const db = await call.keys.db();
  const rows = await db.query<{ spend: number | null }>(
    `SELECT sum(spend) AS spend FROM "LiteLLM_SpendLogs" WHERE "startTime" >= now() - interval '30 days'`,
  );
  sendJson(call.ex.res, 200, {
    spend: Number(rows[0]?.spend ?? 0),
    max_budget: call.keys.settings.globalMaxBudget ?? null,
  });
}

export const spendLogsRoute = managementRoute('GET', spendLogs);
export const globalSpendRoute = managementRoute('GET', globalSpend);
