import { currentPeriodEnd } from '../keys/duration';
import type { Queryable } from '../store/sql-db';
import { Gauge } from './gauge';
import type { Labels } from './label-key';

/** One budget row as the tables hold it. */
interface BudgetRow {
  id: string;
  alias: string | null;
  max_budget: number | string;
  spend: number | string | null;
  budget_duration: string | null;
  budget_reset_at: Date | string | null;
}

/** The three gauges LiteLLM keeps per budgeted entity: remaining, max, hours to reset. */
class BudgetGaugeSet {
  readonly remaining: Gauge;
  readonly max: Gauge;
  readonly hours: Gauge;
  constructor(names: { remaining: string; max: string; hours: string }, what: string) {
    this.remaining = new Gauge(
      names.remaining,
      `Remaining budget for ${what}, USD (max budget minus the current period's recorded spend)`,
    );
    this.max = new Gauge(names.max, `Maximum budget set for ${what}, USD`);
    this.hours = new Gauge(names.hours, `Hours until the ${what} budget resets`);
  }

  /** Replaces every series with the rows read now. */
  fill(rows: readonly BudgetRow[], labelsOf: (row: BudgetRow) => Labels, now: number): void {
    this.remaining.clear();
    this.max.clear();
    this.hours.clear();
    for (const row of rows) {
      const labels = labelsOf(row);
      const max = Number(row.max_budget);
      const { spent, resetsAt } = currentPeriod(row, now);
      this.remaining.set(labels, max - spent);
      this.max.set(labels, max);
      if (resetsAt !== undefined) this.hours.set(labels, (resetsAt - now) / 3_600_000);
    }
  }

  render(): string {
    return this.remaining.render() + this.max.render() + this.hours.render();
  }
}

/**
 * The spend of the period running at `now` and when it ends: a row whose
 * reset time has passed (the reset job has not run yet) starts a new
 * period at 0, as admission counts it.
 */
function currentPeriod(row: BudgetRow, now: number): { spent: number; resetsAt?: number } {
  const spend = Number(row.spend ?? 0);
  if (row.budget_duration === null || row.budget_reset_at === null) return { spent: spend };
  const stored = new Date(row.budget_reset_at).getTime();
  if (stored > now) return { spent: spend, resetsAt: stored };
  const end = currentPeriodEnd(new Date(stored), row.budget_duration, new Date(now)).getTime();
  return { spent: 0, resetsAt: end };
}

/**
 * LiteLLM's budget gauges, read from the key, team and user tables at
 * scrape time (so every instance reports the same numbers, and a deleted
 * key's series goes away). Team gauges are always exposed — teams are an
 * operator's few; key and user gauges only with key labels turned on.
 * The tables' spend is what the spend writer has booked (it writes every
 * `proxy_batch_write_at` seconds), so the figures trail requests by that much.
 */
export class BudgetGauges {
  readonly keys = new BudgetGaugeSet(
    {
      remaining: 'litellm_remaining_api_key_budget_metric',
      max: 'litellm_api_key_max_budget_metric',
      hours: 'litellm_api_key_budget_remaining_hours_metric',
    },
    'api key',
  );
  readonly teams = new BudgetGaugeSet(
    {
      remaining: 'litellm_remaining_team_budget_metric',
      max: 'litellm_team_max_budget_metric',
      hours: 'litellm_team_budget_remaining_hours_metric',
    },
    'team',
  );
  readonly users = new BudgetGaugeSet(
    {
      remaining: 'litellm_remaining_user_budget_metric',
      max: 'litellm_user_max_budget_metric',
      hours: 'litellm_user_budget_remaining_hours_metric',
    },
    'user',
  );

  constructor(readonly keyLabels: boolean) {}

  /** Reads the budgets now. Throws when the store does not answer (the caller keeps the last figures). */
  async refresh(db: Queryable, now: number): Promise<void> {
    const columns = 'max_budget, spend, budget_duration, budget_reset_at';
    const teams = await db.query<BudgetRow>(
      `SELECT team_id AS id, team_alias AS alias, ${columns} FROM "LiteLLM_TeamTable" WHERE max_budget IS NOT NULL`,
    );
    this.teams.fill(teams, r => ({ team: r.id, team_alias: r.alias ?? '' }), now);
    if (!this.keyLabels) return;
    const keys = await db.query<BudgetRow>(
      `SELECT token AS id, key_alias AS alias, ${columns} FROM "LiteLLM_VerificationToken" WHERE max_budget IS NOT NULL`,
    );
    this.keys.fill(keys, r => ({ hashed_api_key: r.id, api_key_alias: r.alias ?? '' }), now);
    const users = await db.query<BudgetRow>(
      `SELECT user_id AS id, NULL AS alias, ${columns} FROM "LiteLLM_UserTable" WHERE max_budget IS NOT NULL`,
    );
    this.users.fill(users, r => ({ user: r.id }), now);
  }

  render(): string {
    return this.keys.render() + this.teams.render() + this.users.render();
  }
}
