/**
 * Reads the few series the router needs from a Prometheus text exposition:
 * for each wanted metric name, the values of its samples with their label
 * text. Comments, histograms and every other family are skipped without
 * being parsed, so reading a large vLLM `/metrics` page stays cheap.
 */
export interface PrometheusSample {
  /** The raw label text between the braces (`model_name="m",…`), '' when none. */
  labels: string;
  value: number;
}

/** Samples of each wanted metric name found in `text` (names not found are absent). */
export function readPrometheusSamples(
  text: string,
  wanted: ReadonlySet<string>,
): Map<string, PrometheusSample[]> {
  const out = new Map<string, PrometheusSample[]>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (text.charCodeAt(start) !== 35 /* # */) {
      const sample = parseLine(text, start, end, wanted);
      if (sample !== undefined) {
        const list = out.get(sample.name);
        if (list) list.push(sample.sample);
        else out.set(sample.name, [sample.sample]);
      }
    }
    start = end + 1;
  }
  return out;
}

function parseLine(
  text: string,
  start: number,
  end: number,
  wanted: ReadonlySet<string>,
): { name: string; sample: PrometheusSample } | undefined {
  let i = start;
  while (i < end && text[i] !== '{' && text[i] !== ' ') i++;
  const name = text.slice(start, i);
  if (!wanted.has(name)) return undefined;
  let labels = '';
  if (text[i] === '{') {
    const close = text.indexOf('}', i);
    if (close === -1 || close > end) return undefined;
    labels = text.slice(i + 1, close);
    i = close + 1;
  }
  // "value [timestamp]"
  const rest = text.slice(i, end).trim().split(/\s+/);
  const value = Number(rest[0]);
  if (rest[0] === undefined || rest[0] === '' || Number.isNaN(value)) return undefined;
  return { name, sample: { labels, value } };
}
