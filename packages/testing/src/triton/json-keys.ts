/**
 * Lists the top-level keys of a JSON object text in order, duplicates kept.
 * `JSON.parse` silently keeps the last of repeated keys, but Triton's
 * generate frontend reads keys one by one and refuses a repeated input, so
 * the emulator needs to see them. Call only on text `JSON.parse` accepted.
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return keys;
  i++;
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] !== '"') return keys;
    const end = stringEnd(text, i);
    keys.push(JSON.parse(text.slice(i, end)) as string);
    i = skipSpace(text, end);
    i = skipValue(text, skipSpace(text, i + 1)); // past ':' and the value
    i = skipSpace(text, i);
    if (text[i] !== ',') return keys;
    i++;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Index just past the string literal starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just past the value starting at `i`. */
function skipValue(text: string, i: number): number {
  if (text[i] === '"') return stringEnd(text, i);
  if (text[i] !== '{' && text[i] !== '[') {
    while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    if (c === '}' || c === ']') depth--;
    i++;
    if (depth === 0) return i;
  }
  return i;
}
