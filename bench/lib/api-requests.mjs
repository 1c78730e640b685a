/**
 * The benchmark request in each API's shape Switchyard serves: the same
 * prompt and token cap as chat (`chat-request.mjs`), so the emulator does
 * the same work behind each. `streamEnd` is what the last event of a
 * complete stream contains (the latency probe counts a stream without it
 * as failed): chat ends with `data: [DONE]`, the Messages API with
 * `message_stop`, the Responses API with `response.incomplete` (every
 * answer here stops at the token cap, which the Responses API reports as
 * incomplete rather than completed).
 */
import { chatBody, MAX_TOKENS, MESSAGES, MODEL } from './chat-request.mjs';

export const API_REQUESTS = {
  chat: {
    path: '/v1/chat/completions',
    body: stream => chatBody({ stream }),
    streamEnd: 'data: [DONE]',
  },
  messages: {
    path: '/v1/messages',
    body: stream =>
      JSON.stringify({ model: MODEL, messages: MESSAGES, max_tokens: MAX_TOKENS, stream }),
    streamEnd: 'message_stop',
  },
  responses: {
    path: '/v1/responses',
    body: stream =>
      JSON.stringify({
        model: MODEL,
        input: MESSAGES[0].content,
        max_output_tokens: MAX_TOKENS,
        store: false,
        stream,
      }),
    streamEnd: 'event: response.incomplete',
  },
};

/** Every API, in table order. */
export const ALL_APIS = Object.keys(API_REQUESTS);
