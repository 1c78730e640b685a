import { ProxyError } from '../http/proxy-error';
import { sendJson } from '../http/send';
import { insertRow, updateRow } from '../store/row-writer';
import type { Queryable } from '../store/sql-db';
import { keyColumns } from './key-fields';
import { hashKey, keyDisplayName, newKeySecret, tokenOf } from './key-secret';
import {
  intParam,
  type ManagementCall,
  managementRoute,
  notFound,
  queryOf,
  readJson,
  requiredParam,
} from './management-access';
import {
  deleteKeysSchema,
  type GenerateKeyRequest,
  generateKeySchema,
  regenerateKeySchema,
  updateKeySchema,
} from './request-schemas';
import { KEY_TABLE, type Row, rowToJson } from './tables';

/**
 * Creates a key row and answers LiteLLM's GenerateKeyResponse: every stored
 * field plus `key`, the plaintext shown this once (only its SHA-256 is kept).
 */
export async function createKey(
  db: Queryable,
  body: GenerateKeyRequest,
): Promise<Record<string, unknown>> {
  const key = body.key ?? newKeySecret();
  const token = hashKey(key);
  if (body.key_alias) await assertAliasFree(db, body.key_alias, token);
  const existing = await db.query('SELECT 1 FROM "LiteLLM_VerificationToken" WHERE token = $1', [
    token,
  ]);
  if (existing.length > 0) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: 'key',
      message: 'Key already exists.',
    });
  }
  const row = await insertRow<Row>(db, KEY_TABLE, {
    ...keyColumns(body, new Date()),
    token,
    key_name: keyDisplayName(key),
    created_by: 'master_key',
    updated_by: 'master_key',
  });
  return { ...rowToJson(row), key, token_id: token };
}

async function assertAliasFree(db: Queryable, alias: string, token: string): Promise<void> {
  const taken = await db.query<{ token: string }>(
    'SELECT token FROM "LiteLLM_VerificationToken" WHERE key_alias = $1 AND token <> $2 LIMIT 1',
    [alias, token],
  );
  if (taken.length > 0) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: 'key_alias',
      message: `Unique key aliases across all keys are required. Key alias ${alias} already exists.`,
    });
  }
}

/**
 * A virtual key must never be the master key: it would carry the admin's
 * secret under a key's limits, and whoever holds either would hold both.
 */
function assertNotMasterKey(call: ManagementCall, key: string | undefined, param: string): void {
  if (key !== undefined && hashKey(key) === call.keys.masterToken) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param,
      message: `${param}: a virtual key cannot have the master key's value; choose another.`,
    });
  }
}

async function generate(call: ManagementCall): Promise<void> {
  const body = await readJson(call, generateKeySchema, '/key/generate request');
  assertNotMasterKey(call, body.key, 'key');
  const db = await call.keys.db();
  const created = await createKey(db, body);
  // A key of this text may sit in another instance's cache as "not found".
  await call.keys.invalidate(created.token as string);
  sendJson(call.ex.res, 200, created);
}

async function update(call: ManagementCall): Promise<void> {
  const body = await readJson(call, updateKeySchema, '/key/update request');
  const token = tokenOf(body.key);
  const db = await call.keys.db();
  if (body.key_alias) await assertAliasFree(db, body.key_alias, token);
  const row = await updateRow<Row>(db, KEY_TABLE, token, {
    ...keyColumns(body, new Date()),
    updated_by: 'master_key',
  });
  if (!row)
    throw notFound(
      `Key not found: ${body.key.startsWith('sk-') ? keyDisplayName(body.key) : body.key}`,
    );
  await call.keys.invalidate(token);
  sendJson(call.ex.res, 200, { key: body.key, ...rowToJson(row) });
}

async function info(call: ManagementCall): Promise<void> {
  const key = requiredParam(call.ex, 'key');
  const db = await call.keys.db();
  const rows = await db.query<Row>('SELECT * FROM "LiteLLM_VerificationToken" WHERE token = $1', [
    tokenOf(key),
  ]);
  if (!rows[0]) throw notFound('Key not found in the database.');
  sendJson(call.ex.res, 200, { key, info: rowToJson(rows[0]) });
}

async function remove(call: ManagementCall): Promise<void> {
  const body = await readJson(call, deleteKeysSchema, '/key/delete request');
  const db = await call.keys.db();
  const tokens = new Map<string, string>();
  for (const key of body.keys ?? []) tokens.set(tokenOf(key), key);
  if (body.key_aliases?.length) {
    const rows = await db.query<{ token: string; key_alias: string }>(
      'SELECT token, key_alias FROM "LiteLLM_VerificationToken" WHERE key_alias = ANY($1::text[])',
      [body.key_aliases],
    );
    for (const r of rows) tokens.set(r.token, r.key_alias);
  }
  const deleted: string[] = [];
  // One row per statement, in token order: never two row locks held in an order another writer could reverse.
  for (const token of [...tokens.keys()].sort()) {
    const gone = await db.query(
      'DELETE FROM "LiteLLM_VerificationToken" WHERE token = $1 RETURNING token',
      [token],
    );
    if (gone.length > 0) deleted.push(tokens.get(token)!);
    await call.keys.revoke(token);
  }
  if (deleted.length === 0 && tokens.size > 0) throw notFound('None of the keys were found.');
  sendJson(call.ex.res, 200, { deleted_keys: deleted });
}

async function list(call: ManagementCall): Promise<void> {
  const q = queryOf(call.ex);
  const page = intParam(call.ex, 'page', 1, 1_000_000);
  const size = intParam(call.ex, 'size', 10, 100);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const field of ['user_id', 'team_id', 'key_alias'] as const) {
    const value = q.get(field);
    if (value) {
      params.push(value);
      where.push(`${field} = $${params.length}`);
    }
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const db = await call.keys.db();
  const [{ n }] = (await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "LiteLLM_VerificationToken" ${clause}`,
    params,
  )) as [{ n: number }];
  const rows = await db.query<Row>(
    `SELECT * FROM "LiteLLM_VerificationToken" ${clause} ORDER BY created_at, token LIMIT ${size} OFFSET ${(page - 1) * size}`,
    params,
  );
  const full = q.get('return_full_object') === 'true';
  sendJson(call.ex.res, 200, {
    keys: rows.map(r => (full ? rowToJson(r) : r.token)),
    total_count: n,
    current_page: page,
    total_pages: Math.ceil(n / size),
  });
}

async function regenerate(call: ManagementCall): Promise<void> {
  const body = await readJson(call, regenerateKeySchema, '/key/regenerate request');
  const given = call.ex.pathParam ?? body.key;
  if (!given) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: 'key',
      message: 'Give the key to regenerate: POST /key/{key}/regenerate or a body with "key".',
    });
  }
  assertNotMasterKey(call, body.new_key, 'new_key');
  const oldToken = tokenOf(given);
  const key = body.new_key ?? newKeySecret();
  const token = hashKey(key);
  const db = await call.keys.db();
  const row = await db.transaction(async tx => {
    const moved = await tx.query<Row>(
      `UPDATE "LiteLLM_VerificationToken" SET token = $2, key_name = $3, updated_at = now(), updated_by = 'master_key'
       WHERE token = $1 RETURNING *`,
      [oldToken, token, keyDisplayName(key)],
    );
    if (!moved[0]) return undefined;
    const { key: _k, new_key: _n, ...rest } = body;
    const cols = keyColumns(rest, new Date());
    return Object.keys(cols).length ? await updateRow<Row>(tx, KEY_TABLE, token, cols) : moved[0];
  });
  if (!row) throw notFound('Key not found in the database.');
  await call.keys.revoke(oldToken);
  await call.keys.invalidate(token);
  sendJson(call.ex.res, 200, { ...rowToJson(row), key, token_id: token });
}

export const keyGenerateRoute = managementRoute('POST', generate);
export const keyUpdateRoute = managementRoute('POST', update);
export const keyInfoRoute = managementRoute('GET', info);
export const keyDeleteRoute = managementRoute('POST', remove);
export const keyListRoute = managementRoute('GET', list);
export const keyRegenerateRoute = managementRoute('POST', regenerate);
