import type { Queryable } from './sql-db';

/** How a column's value is sent: JSON text cast to jsonb, a text[] array, or as is. */
export type ColumnKind = 'json' | 'text[]' | 'plain';

/** A table the management endpoints write: its name and the columns callers may set. */
export interface TableSpec {
  /** Quoted SQL name, e.g. `"LiteLLM_VerificationToken"`. */
  table: string;
  primaryKey: string;
  columns: Readonly<Record<string, ColumnKind>>;
}

function param(kind: ColumnKind, index: number): string {
  return kind === 'json'
    ? `$${index}::jsonb`
    : kind === 'text[]'
      ? `$${index}::text[]`
      : `$${index}`;
}

function encode(kind: ColumnKind, value: unknown): unknown {
  return kind === 'json' && value !== null && value !== undefined ? JSON.stringify(value) : value;
}

/** The settable columns of `values`, in the spec's order (undefined means "not given"). */
function given(spec: TableSpec, values: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(spec.columns).filter(c => values[c] !== undefined);
}

/** INSERT of the given columns; returns the stored row. */
export async function insertRow<T>(
  db: Queryable,
  spec: TableSpec,
  values: Readonly<Record<string, unknown>>,
): Promise<T> {
  const cols = given(spec, values);
  const sql = `INSERT INTO ${spec.table} (${cols.map(quote).join(', ')}) VALUES (${cols
    .map((c, i) => param(spec.columns[c]!, i + 1))
    .join(', ')}) RETURNING *`;
  const rows = await db.query<T>(
    sql,
    cols.map(c => encode(spec.columns[c]!, values[c])),
  );
  return rows[0]!;
}

/** UPDATE of the given columns of one row (plus `updated_at`); undefined when no such row. */
export async function updateRow<T>(
  db: Queryable,
  spec: TableSpec,
  id: string,
  values: Readonly<Record<string, unknown>>,
): Promise<T | undefined> {
  const cols = given(spec, values);
  const sets = cols.map((c, i) => `${quote(c)} = ${param(spec.columns[c]!, i + 2)}`);
  sets.push('updated_at = now()');
  const rows = await db.query<T>(
    `UPDATE ${spec.table} SET ${sets.join(', ')} WHERE ${spec.primaryKey} = $1 RETURNING *`,
    [id, ...cols.map(c => encode(spec.columns[c]!, values[c]))],
  );
  return rows[0];
}

function quote(column: string): string {
  return /^[a-z_]+$/.test(column) ? column : `"${column}"`;
}
