/** Label names to values, in the order they are rendered. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Renders a label set in the text format (`a="x",b="y"`, values escaped).
 *
 * Called only when a series or handle is first resolved, never per
 * observation, so it favours being obviously right over being fast.
 */
export function labelKey(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    const value = labels[name]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
    out += `${out === '' ? '' : ','}${name}="${value}"`;
  }
  return out;
}
