import { request } from 'undici';
import { auth, get } from './helpers';
import { chat } from './keys-helpers';

/** The kinds of request {@link mixedTraffic} sends, in turn. */
export const TRAFFIC_KINDS = [
  'normal',
  'repeated-id',
  'poison-metadata',
  'end-user',
  'poison-user',
  'poison-model',
  'normal',
  'repeated-id',
] as const;

export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** One request sent and what came back (status 0: no answer, e.g. the proxy was killed). */
export interface SentRequest {
  kind: TrafficKind;
  key: string;
  status: number;
  /** `x-litellm-call-id` of the answer: the client's own for `repeated-id`. */
  callId: string;
  /** `x-litellm-response-cost`, USD (0 without an answer). */
  cost: number;
  errorType?: string;
}

const deep = (depth: number): unknown => {
  let v: unknown = 'leaf \u0000';
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
};

/** The body and headers of the `i`-th request of a kind. */
function requestFor(
  kind: TrafficKind,
  i: number,
): {
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const prompt = `traffic ${i}`;
  switch (kind) {
    case 'repeated-id':
      return { body: chat('chat', prompt), headers: { 'x-litellm-call-id': 'same-id' } };
    case 'poison-metadata':
      // Logged by LiteLLM (metadata, tags); accepted here and never stored raw.
      return {
        body: chat('chat', prompt, {
          metadata: {
            deep: deep(200),
            nul: 'a\u0000b',
            lone: '\ud800x',
            big: 'x'.repeat(i % 16 === 2 ? 1_048_576 : 10),
          },
          tags: ['t\u0000', '\udc00'],
        }),
        headers: {},
      };
    case 'end-user':
      return { body: chat('chat', prompt, { user: `end user ${i} 😀` }), headers: {} };
    case 'poison-user':
      return { body: chat('chat', prompt, { user: i % 2 ? 'a\u0000b' : '\ud800x' }), headers: {} };
    case 'poison-model':
      return { body: chat(`no\u0000such\ud800model ${i}`, prompt), headers: {} };
    default:
      return { body: chat('chat', prompt), headers: {} };
  }
}

/**
 * Sends `requests` chat requests over `concurrency` connections, cycling
 * through {@link TRAFFIC_KINDS} and `keys`: normal traffic, a client call
 * id repeated on every key, NUL / lone surrogates / a megabyte / 200 levels
 * in metadata and tags, end-user ids, poisoned `user` (refused) and model
 * names. Stops early when `stop()` says so.
 */
export async function mixedTraffic(options: {
  base: string;
  keys: readonly string[];
  requests: number;
  concurrency: number;
  /** Called after each answer; true ends the run. */
  stop?: (sent: readonly SentRequest[]) => boolean;
}): Promise<SentRequest[]> {
  const sent: SentRequest[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (next < options.requests && !stopped) {
      const i = next++;
      const kind = TRAFFIC_KINDS[i % TRAFFIC_KINDS.length]!;
      const key = options.keys[i % options.keys.length]!;
      const { body, headers } = requestFor(kind, i);
      const entry: SentRequest = { kind, key, status: 0, callId: '', cost: 0 };
      try {
        const res = await request(`${options.base}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth(key), ...headers },
          body: JSON.stringify(body),
        });
        const text = await res.body.text();
        entry.status = res.statusCode;
        entry.callId = String(res.headers['x-litellm-call-id'] ?? '');
        entry.cost = Number(res.headers['x-litellm-response-cost'] ?? 0);
        if (res.statusCode !== 200) entry.errorType = JSON.parse(text)?.error?.type;
      } catch {
        // No answer: the proxy went away mid-request.
      }
      sent.push(entry);
      if (options.stop?.(sent)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return sent;
}

/** A spend row as `/spend/logs` returns it. */
export interface SpendRowView {
  request_id: string;
  litellm_call_id: string;
  status: string;
  spend: number;
  model: string;
  end_user: string | null;
}

/** Every spend row of a key (plaintext or its hash), through `/spend/logs`. */
export async function spendRows(
  base: string,
  master: string,
  key: string,
): Promise<SpendRowView[]> {
  const r = await get(
    base,
    `/spend/logs?api_key=${encodeURIComponent(key)}&limit=100000`,
    auth(master),
  );
  if (r.status !== 200) throw new Error(`/spend/logs answered ${r.status}`);
  return r.body;
}

/**
 * Matches a key's spend rows to the requests sent with it: `lost` answers
 * (a 200 without its row), `doubled` rows (two for one request), and
 * `unanswered` rows (a row for a request whose answer never arrived, which
 * only a crash mid-request may leave). Answers are matched by their call id;
 * those sharing the repeated client id, by count.
 */
export function countRows(
  sent: readonly SentRequest[],
  rows: readonly SpendRowView[],
): { lost: number; doubled: number; unanswered: number } {
  const perCallId = new Map<string, number>();
  for (const r of rows)
    perCallId.set(r.litellm_call_id, (perCallId.get(r.litellm_call_id) ?? 0) + 1);
  let lost = 0;
  let doubled = rows.length - new Set(rows.map(r => r.request_id)).size;
  let shared = 0;
  const answered = new Set<string>();
  for (const s of sent) {
    if (s.status !== 200) continue;
    if (s.kind === 'repeated-id') {
      shared++;
      continue;
    }
    answered.add(s.callId);
    const n = perCallId.get(s.callId) ?? 0;
    if (n === 0) lost++;
    if (n > 1) doubled += n - 1;
  }
  const sharedRows = perCallId.get('same-id') ?? 0;
  lost += Math.max(0, shared - sharedRows);
  let unanswered = Math.max(0, sharedRows - shared);
  for (const [callId, n] of perCallId)
    if (callId !== 'same-id' && !answered.has(callId)) unanswered += n;
  return { lost, doubled, unanswered };
}
