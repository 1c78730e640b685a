/** Markdown tables and number formatting for benchmark reports. */

/** A Markdown table from a header row and data rows (cells already strings). */
export function markdownTable(header, rows) {
  const line = cells => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `value` with `digits` decimals, thousands separated; an empty cell when undefined. */
export function fmt(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return '';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A signed difference (`+0.42`), empty when either side is missing. */
export function signed(value, digits = 3) {
  if (value === undefined || Number.isNaN(value)) return '';
  return `${value >= 0 ? '+' : ''}${fmt(value, digits)}`;
}
