/** Longest prompt kept per request: the Requests page shows a glimpse, not the whole conversation. */
export const PROMPT_TEXT_LIMIT = 2000;

/**
 * The text of a request body's prompt — chat `messages` (each as
 * `role: text`), a completion's `prompt` or an embedding's `input` —
 * cut at {@link PROMPT_TEXT_LIMIT} characters; undefined when it has none.
 */
export function promptTextOf(body: Record<string, unknown>): string | undefined {
  let text: string | undefined;
  if (Array.isArray(body.messages)) {
    text = body.messages
      .map(m => {
        const msg = m as { role?: unknown; content?: unknown };
        return `${typeof msg.role === 'string' ? msg.role : '?'}: ${contentText(msg.content)}`;
      })
      .join('\n');
  } else if (body.prompt !== undefined) {
    text = plainText(body.prompt);
  } else if (body.input !== undefined) {
    text = plainText(body.input);
  }
  if (text === undefined || text === '') return undefined;
  return text.length > PROMPT_TEXT_LIMIT ? `${text.slice(0, PROMPT_TEXT_LIMIT)}…` : text;
}

/** A message's content: a string, or the text parts of a part list. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map(p => {
      const part = p as { type?: unknown; text?: unknown };
      return typeof part.text === 'string' ? part.text : `[${String(part.type ?? 'part')}]`;
    })
    .join(' ');
}

function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value.join('\n');
  // Token ids or structured input: shown as what they are, not decoded.
  return Array.isArray(value) ? `[${value.length} items]` : undefined;
}
