import { randomUUID } from 'node:crypto';
import { ProxyError } from '../http/proxy-error';
import { sendJson } from '../http/send';
import { insertRow } from '../store/row-writer';
import { addDuration } from './duration';
import { createKey } from './key-routes';
import {
  type ManagementCall,
  managementRoute,
  notFound,
  readJson,
  requiredParam,
} from './management-access';
import { newTeamSchema, newUserSchema } from './request-schemas';
import { type Row, rowToJson, TEAM_TABLE, USER_TABLE } from './tables';

function budgetColumns(body: {
  max_budget?: number | null;
  budget_duration?: string | null;
  models?: string[];
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    max_budget: body.max_budget,
    budget_duration: body.budget_duration,
    budget_reset_at: body.budget_duration
      ? addDuration(new Date(), body.budget_duration)
      : undefined,
    models: body.models,
    tpm_limit: body.tpm_limit,
    rpm_limit: body.rpm_limit,
    max_parallel_requests: body.max_parallel_requests,
    metadata: body.metadata,
  };
}

function duplicate(what: string, id: string): ProxyError {
  return new ProxyError({
    status: 400,
    type: 'bad_request_error',
    message: `${what} ${id} already exists.`,
  });
}

/** `/user/new`: the user row plus, unless `auto_create_key: false`, a key of theirs (LiteLLM's default). */
async function newUser(call: ManagementCall): Promise<void> {
  const body = await readJson(call, newUserSchema, '/user/new request');
  const userId = body.user_id ?? randomUUID();
  const db = await call.keys.db();
  const result = await db.transaction(async tx => {
    const exists = await tx.query('SELECT 1 FROM "LiteLLM_UserTable" WHERE user_id = $1', [userId]);
    if (exists.length > 0) throw duplicate('User', userId);
    const user = await insertRow<Row>(tx, USER_TABLE, {
      ...budgetColumns(body),
      user_id: userId,
      user_alias: body.user_alias,
      user_email: body.user_email,
      user_role: body.user_role ?? 'internal_user',
      teams: body.teams,
    });
    if (body.auto_create_key === false) return rowToJson(user);
    const key = await createKey(tx, {
      user_id: userId,
      key_alias: body.key_alias,
      duration: body.duration,
    });
    return {
      ...rowToJson(user),
      key: key.key,
      key_name: key.key_name,
      token: key.token,
      expires: key.expires,
    };
  });
  if (typeof result.token === 'string') await call.keys.invalidate(result.token);
  sendJson(call.ex.res, 200, result);
}

async function userInfo(call: ManagementCall): Promise<void> {
  const userId = requiredParam(call.ex, 'user_id');
  const db = await call.keys.db();
  const users = await db.query<Row>('SELECT * FROM "LiteLLM_UserTable" WHERE user_id = $1', [
    userId,
  ]);
  if (!users[0]) throw notFound(`User ${userId} not found.`);
  const keys = await db.query<Row>(
    'SELECT * FROM "LiteLLM_VerificationToken" WHERE user_id = $1 ORDER BY created_at, token',
    [userId],
  );
  const teamIds = (users[0].teams as string[] | null) ?? [];
  const teams = teamIds.length
    ? await db.query<Row>(
        'SELECT * FROM "LiteLLM_TeamTable" WHERE team_id = ANY($1::text[]) ORDER BY team_id',
        [teamIds],
      )
    : [];
  sendJson(call.ex.res, 200, {
    user_id: userId,
    user_info: rowToJson(users[0]),
    keys: keys.map(rowToJson),
    teams: teams.map(rowToJson),
  });
}

/** `/team/new`: the team row; `members_with_roles` also fills `admins` and `members`. */
async function newTeam(call: ManagementCall): Promise<void> {
  const body = await readJson(call, newTeamSchema, '/team/new request');
  const teamId = body.team_id ?? randomUUID();
  const members = body.members_with_roles ?? [];
  const db = await call.keys.db();
  const team = await db.transaction(async tx => {
    const exists = await tx.query('SELECT 1 FROM "LiteLLM_TeamTable" WHERE team_id = $1', [teamId]);
    if (exists.length > 0) throw duplicate('Team', teamId);
    return insertRow<Row>(tx, TEAM_TABLE, {
      ...budgetColumns(body),
      team_id: teamId,
      team_alias: body.team_alias,
      members_with_roles: members,
      admins: members.filter(m => m.role === 'admin').map(m => m.user_id),
      members: members.map(m => m.user_id),
      blocked: body.blocked,
    });
  });
  sendJson(call.ex.res, 200, rowToJson(team));
}

async function teamInfo(call: ManagementCall): Promise<void> {
  const teamId = requiredParam(call.ex, 'team_id');
  const db = await call.keys.db();
  const teams = await db.query<Row>('SELECT * FROM "LiteLLM_TeamTable" WHERE team_id = $1', [
    teamId,
  ]);
  if (!teams[0]) throw notFound(`Team ${teamId} not found.`);
  const keys = await db.query<Row>(
    'SELECT * FROM "LiteLLM_VerificationToken" WHERE team_id = $1 ORDER BY created_at, token',
    [teamId],
  );
  sendJson(call.ex.res, 200, {
    team_id: teamId,
    team_info: rowToJson(teams[0]),
    keys: keys.map(rowToJson),
  });
}

export const userNewRoute = managementRoute('POST', newUser);
export const userInfoRoute = managementRoute('GET', userInfo);
export const teamNewRoute = managementRoute('POST', newTeam);
export const teamInfoRoute = managementRoute('GET', teamInfo);
