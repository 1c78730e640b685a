/**
 * The one chat request every benchmark sends. The emulator answers with
 * fixed ("scripted") text, so every response has the same size; with
 * `max_tokens: 18` a stream is 20 `chat.completion.chunk` events (role,
 * 18 tokens, finish) plus `data: [DONE]`.
 */

/** Model path the emulator serves and the requests name. */
export const MODEL = 'facebook/opt-125m';
/** Tokens per answer: 18 gives a 20-chunk stream. */
export const MAX_TOKENS = 18;
/** What the emulator "generates" (longer than MAX_TOKENS, so every answer stops on length). */
export const SCRIPTED_TEXT =
  'The quick brown fox jumps over the lazy dog and keeps running across the wide green field ' +
  'until the sun sets behind the distant hills.';

/** The messages of the benchmark request. */
export const MESSAGES = [{ role: 'user', content: 'Say something short about foxes.' }];

/** The JSON body of the benchmark request, streaming or not, for `model`. */
export function chatBody({ stream, model = MODEL, maxTokens = MAX_TOKENS }) {
  return JSON.stringify({ model, messages: MESSAGES, max_tokens: maxTokens, stream });
}
