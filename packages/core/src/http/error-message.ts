/**
 * Pulls a human-readable message out of an upstream error body, whatever
 * shape it has: OpenAI's `{"error":{"message"}}`, vLLM's legacy
 * `{"object":"error","message"}`, Triton's and vLLM's auth `{"error":"…"}`,
 * FastAPI's `{"detail":…}`; else the raw text.
 */
export function extractErrorMessage(body: unknown, rawText: string): string {
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (typeof error === 'object' && error !== null) {
      const message = (error as Record<string, unknown>).message;
      if (typeof message === 'string') return message;
    }
    if (typeof record.message === 'string') return record.message;
    if (typeof record.detail === 'string') return record.detail;
    if (record.detail !== undefined) return JSON.stringify(record.detail);
  }
  return rawText.length > 0 ? rawText : '(empty body)';
}
