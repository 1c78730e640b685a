/**
 * Prompt and completion text in the semantic conventions' message form
 * (`gen_ai.input.messages` / `gen_ai.output.messages`: a JSON array of
 * `{role, parts: [{type, content}]}`). Recorded only when the operator asks
 * for it: prompts carry whatever users typed.
 */

/** Longest text kept per attribute; beyond it the text is cut and marked. */
export const CONTENT_LIMIT = 16 * 1024;

interface Part {
  type: string;
  content?: string;
}

/** `gen_ai.input.messages` of a chat body (or a text completion's prompt). */
export function inputMessages(body: Record<string, unknown>): string | undefined {
  if (Array.isArray(body.messages)) {
    const out = body.messages.map(m => {
      const msg = m as { role?: unknown; content?: unknown };
      return {
        role: typeof msg.role === 'string' ? msg.role : 'user',
        parts: partsOf(msg.content),
      };
    });
    return clip(JSON.stringify(out));
  }
  if (typeof body.prompt === 'string')
    return clip(
      JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: body.prompt }] }]),
    );
  return undefined;
}

function partsOf(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  return content.map(p => {
    const part = p as { type?: unknown; text?: unknown };
    const type = typeof part.type === 'string' ? part.type : 'unknown';
    // Images and audio are named by type only: their bytes are no trace attribute.
    return type === 'text' && typeof part.text === 'string'
      ? { type, content: part.text }
      : { type };
  });
}

/** `gen_ai.output.messages` of the assistant's text, one message per choice. */
export function outputMessages(texts: readonly string[], reasons: readonly string[]): string {
  // Array.from visits the holes a stream without choice 0 leaves.
  const out = Array.from(texts, (text, i) => ({
    role: 'assistant',
    parts: [{ type: 'text', content: text ?? '' }],
    finish_reason: reasons[i] ?? null,
  }));
  return clip(JSON.stringify(out));
}

/** The text of each choice of a non-streamed chat or text completion. */
export function answerTexts(data: unknown): string[] {
  const choices = (data as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return [];
  return choices.map(c => {
    const choice = c as { message?: { content?: unknown }; text?: unknown };
    const text = choice.message?.content ?? choice.text;
    return typeof text === 'string' ? text : '';
  });
}

/** Appends a streamed chunk's text to `texts` (by choice index), up to {@link CONTENT_LIMIT}. */
export function appendChunkTexts(chunk: unknown, texts: string[]): void {
  const choices = (chunk as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return;
  for (const c of choices) {
    const choice = c as { index?: unknown; delta?: { content?: unknown }; text?: unknown };
    const piece = choice.delta?.content ?? choice.text;
    if (typeof piece !== 'string' || piece === '') continue;
    const i =
      typeof choice.index === 'number' && choice.index >= 0 && choice.index < 128
        ? choice.index
        : 0;
    const sofar = texts[i] ?? '';
    if (sofar.length < CONTENT_LIMIT) texts[i] = sofar + piece;
  }
}

function clip(json: string): string {
  return json.length <= CONTENT_LIMIT ? json : `${json.slice(0, CONTENT_LIMIT)}…[truncated]`;
}
