/** Reading benchmark knobs from environment variables, with clear errors for bad values. */

/** A bad knob is the user's typo, not a crash: say which and stop before any load starts. */
function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** A positive number from `process.env[name]`, or `fallback` when unset. */
export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    fail(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

/** A comma-separated list from `process.env[name]` whose items are all in `allowed`. */
export function envList(name, fallback, allowed) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const items = raw
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  for (const item of items) {
    if (allowed && !allowed.includes(item)) {
      fail(`${name}: "${item}" is not one of ${allowed.join(', ')}`);
    }
  }
  return items;
}

/** A comma-separated list of positive integers from `process.env[name]`. */
export function envIntegers(name, fallback) {
  const items = envList(name, undefined);
  if (items === undefined) return fallback;
  return items.map(item => {
    const value = Number(item);
    if (!Number.isInteger(value) || value <= 0) {
      fail(`${name}: "${item}" is not a positive integer`);
    }
    return value;
  });
}
