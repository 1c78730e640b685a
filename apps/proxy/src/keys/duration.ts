const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * The longest duration accepted: 100 years. Dates much further out are
 * invalid in JavaScript (past ±275,760 years) or written with six-digit
 * years the database does not read back, and no key or budget needs them.
 */
export const MAX_DURATION_YEARS = 100;
const MAX_DURATION_MS = MAX_DURATION_YEARS * 365.25 * UNIT_MS.d!;

/**
 * Parses LiteLLM's durations: `30s`, `30m`, `30h`, `30d`, `2w`, `1mo`
 * (calendar months), up to {@link MAX_DURATION_YEARS} years. Returns
 * undefined for anything else so the caller can name the field in its error.
 */
export function parseDuration(
  text: string,
): { amount: number; unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo' } | undefined {
  const match = /^(\d+)(mo|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (amount <= 0) return undefined;
  const unit = match[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo';
  const tooLong =
    unit === 'mo' ? amount > MAX_DURATION_YEARS * 12 : amount * UNIT_MS[unit]! > MAX_DURATION_MS;
  return tooLong ? undefined : { amount, unit };
}

/** `from` plus one duration (months by the calendar, the rest by milliseconds). */
export function addDuration(from: Date, text: string): Date {
  const d = parseDuration(text);
  if (!d) throw new Error(`not a duration: ${text}`);
  if (d.unit === 'mo') {
    const next = new Date(from);
    next.setUTCMonth(next.getUTCMonth() + d.amount);
    return next;
  }
  return new Date(from.getTime() + d.amount * UNIT_MS[d.unit]!);
}

/**
 * The end of the budget period that contains `now`: `resetAt` while it is
 * still ahead, else stepped forward one duration at a time until it is.
 */
export function currentPeriodEnd(resetAt: Date, duration: string, now: Date): Date {
  let end = resetAt;
  // Bounded: a key idle for years at `1s` would step forever otherwise.
  for (let i = 0; end <= now && i < 100_000; i++) end = addDuration(end, duration);
  if (end <= now) end = addDuration(now, duration);
  return end;
}
