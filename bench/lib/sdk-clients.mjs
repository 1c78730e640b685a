/**
 * The three clients the SDK benchmark compares, each reduced to "send the
 * benchmark chat request, resolve with the parsed answer": a raw undici
 * request (the floor), Switchyard's `completion()` and the official
 * `openai` client.
 */
import { MAX_TOKENS, MESSAGES } from './chat-request.mjs';
import { DIST, importBuilt, importTool } from './paths.mjs';

/** Builds the callers for an emulator at `url` serving `model`. */
export async function createClients({ url, model }) {
  const undici = await importTool('undici');
  const { completion } = await importBuilt(DIST.sdk, '@switchyard/sdk');
  const { default: OpenAI } = await importTool('openai');

  const agent = new undici.Agent({ keepAliveTimeout: 30_000, connections: 1 });
  const chatUrl = `${url}/v1/chat/completions`;
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
  const raw = async () => {
    const { statusCode, body } = await undici.request(chatUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, messages: MESSAGES, max_tokens: MAX_TOKENS }),
      dispatcher: agent,
    });
    const answer = JSON.parse(await body.text());
    if (statusCode !== 200) throw new Error(`raw undici: HTTP ${statusCode}`);
    return answer;
  };

  const sdk = () =>
    completion({
      model: `hosted_vllm/${model}`,
      messages: MESSAGES,
      max_tokens: MAX_TOKENS,
      api_base: `${url}/v1`,
      api_key: 'sk-bench',
    });

  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-bench', maxRetries: 0 });
  const official = () =>
    openai.chat.completions.create({ model, messages: MESSAGES, max_tokens: MAX_TOKENS });

  return {
    clients: [
      { name: 'raw undici request()', call: raw },
      { name: 'Switchyard completion()', call: sdk },
      { name: 'openai chat.completions.create', call: official },
    ],
    close: () => agent.close(),
  };
}

/** Throws unless `answer` is a chat completion with text (a broken client must not look fast). */
export function assertAnswer(name, answer) {
  const text = answer?.choices?.[0]?.message?.content;
  if (typeof text !== 'string' || text.length === 0) {
    throw new Error(`${name} returned no completion text: ${JSON.stringify(answer).slice(0, 200)}`);
  }
}
