/**
 * An object's JSON text cut where the values of some of its keys go:
 * `parts[i]` comes before the i-th of those keys' values (in the object's
 * key order), the last part closes the object. Joined with each of those
 * values serialised, the text is byte for byte `JSON.stringify` of the
 * object holding them: the other keys are serialised here, a run of
 * neighbours at a time, once. For an object sent several times as it
 * changes in a few places (a Responses response object: created, in
 * progress, completed), so most of it is serialised once per stream.
 */
export function jsonTemplate(value: Record<string, unknown>, holes: readonly string[]): string[] {
  const parts: string[] = [];
  let text = '{';
  let comma = false;
  let run: Record<string, unknown> | undefined;
  const flush = () => {
    if (run === undefined) return;
    // A run whose values all serialise to nothing (undefined) leaves no text, as in JSON.stringify.
    const inner = JSON.stringify(run).slice(1, -1);
    if (inner !== '') {
      text += comma ? `,${inner}` : inner;
      comma = true;
    }
    run = undefined;
  };
  for (const key of Object.keys(value)) {
    if (!holes.includes(key)) {
      run ??= {};
      run[key] = value[key];
      continue;
    }
    flush();
    text += `${comma ? ',' : ''}${JSON.stringify(key)}:`;
    comma = true;
    parts.push(text);
    text = '';
  }
  flush();
  parts.push(`${text}}`);
  return parts;
}

/** A {@link jsonTemplate}'s text with these values' JSON texts in its holes, in order. */
export function fillJsonTemplate(parts: readonly string[], values: readonly string[]): string {
  let text = parts[0]!;
  for (let i = 0; i < values.length; i++) text += values[i]! + parts[i + 1]!;
  return text;
}
