/**
 * The mixed traffic of bench/chaos.mjs: normal requests, a client call id
 * repeated on every key, strings the database cannot hold (NUL, lone
 * surrogates, a megabyte, 200 levels) in metadata and tags, end-user ids,
 * poisoned `user` values (refused with 400) and poisoned model names.
 * Every request but the repeated-id ones carries a unique client call id,
 * so its spend row can be found by `litellm_call_id`.
 */
import { MODEL } from './chat-request.mjs';

export const KINDS = [
  'normal',
  'repeated-id',
  'poison-metadata',
  'end-user',
  'poison-user',
  'poison-model',
  'normal',
  'repeated-id',
];

/** The call id every `repeated-id` request sends. */
export const REPEATED_ID = 'chaos-same-id';

const deep = depth => {
  let v = 'leaf \u0000';
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
};
const BIG = 'x'.repeat(1_048_576);

/** Body and headers of the `i`-th request (`runId` keeps call ids unique across runs). */
export function chaosRequest(i, runId) {
  const kind = KINDS[i % KINDS.length];
  const body = {
    model: MODEL,
    messages: [{ role: 'user', content: `chaos ${i}` }],
    max_tokens: 8,
  };
  const headers = { 'x-litellm-call-id': `chaos-${runId}-${i}` };
  if (kind === 'repeated-id') headers['x-litellm-call-id'] = REPEATED_ID;
  else if (kind === 'poison-metadata') {
    body.metadata = {
      deep: deep(200),
      nul: 'a\u0000b',
      lone: '\ud800x',
      // A megabyte now and then: often enough to be in every run, rare enough not to be the load.
      big: i % 256 === 2 ? BIG : 'small',
    };
    body.tags = ['t\u0000', '\udc00'];
  } else if (kind === 'end-user') body.user = `end user ${i} \u{1f600}`;
  else if (kind === 'poison-user') body.user = i % 2 ? 'a\u0000b' : '\ud800x';
  else if (kind === 'poison-model') body.model = `no\u0000such\ud800model ${i}`;
  return { kind, headers, body: JSON.stringify(body) };
}

/**
 * Matches spend rows to what was sent: `lost` (a 200 without its row),
 * `doubled` (a second row for one request), `unanswered` (a row whose
 * answer never arrived: only requests in flight at a kill may leave one).
 */
export function matchRows(sent, rows) {
  const perCallId = new Map();
  for (const r of rows)
    perCallId.set(r.litellm_call_id, (perCallId.get(r.litellm_call_id) ?? 0) + 1);
  let lost = 0;
  let doubled = rows.length - new Set(rows.map(r => r.request_id)).size;
  let repeatedAnswers = 0;
  const answered = new Set();
  for (const s of sent) {
    if (s.status !== 200) continue;
    if (s.callId === REPEATED_ID) {
      repeatedAnswers++;
      continue;
    }
    answered.add(s.callId);
    const n = perCallId.get(s.callId) ?? 0;
    if (n === 0) lost++;
    if (n > 1) doubled += n - 1;
  }
  const repeatedRows = perCallId.get(REPEATED_ID) ?? 0;
  lost += Math.max(0, repeatedAnswers - repeatedRows);
  let unanswered = Math.max(0, repeatedRows - repeatedAnswers);
  for (const [callId, n] of perCallId) {
    if (callId !== REPEATED_ID && !answered.has(callId)) unanswered += n;
  }
  return { lost, doubled, unanswered };
}
