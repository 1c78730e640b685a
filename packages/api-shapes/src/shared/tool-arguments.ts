/**
 * A tool call's arguments as an object. Models sometimes emit arguments
 * that are not a JSON object; they are kept under `_raw_arguments` rather
 * than dropped, so nothing the model said is lost.
 */
export function parseToolArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Not JSON: kept below.
  }
  return { _raw_arguments: text };
}
