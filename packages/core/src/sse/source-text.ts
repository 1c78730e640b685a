/**
 * The upstream text a streamed JSON value was parsed from, kept by
 * {@link readSseJson} when asked (`keepSourceText`), so a relay that passes
 * the value on unchanged can send those bytes again instead of serialising
 * the value a second time (a stream does this once per token).
 *
 * Kept in a WeakMap rather than on the value: a copy of the value (`{ ...chunk }`,
 * which is how the providers change a chunk) never carries the old text,
 * and the entry goes when the value does.
 */
const sourceTexts = new WeakMap<object, string>();

/**
 * Records `text` as the source of `value`. Text with a line break is not
 * kept: it could not be sent back as a single `data:` line.
 */
export function keepSourceText(value: unknown, text: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (text.includes('\n') || text.includes('\r')) return;
  sourceTexts.set(value, text);
}

/** The text `value` was parsed from, when it was kept. */
export function sourceTextOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? sourceTexts.get(value) : undefined;
}
