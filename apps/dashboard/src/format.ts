/** Display helpers: one place for how numbers look on every page. */

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleTimeString('en-GB', { hour12: false });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16);
}

/** A key as people recognise it: its alias, else its `sk-...abcd` name, else a short hash. */
export function keyLabel(k: {
  key_alias?: string | null;
  key_name?: string | null;
  key?: string | null;
}): string {
  if (k.key === 'master') return 'master key';
  return k.key_alias || k.key_name || (k.key ? `${k.key.slice(0, 8)}…` : '—');
}
