/**
 * What the fuzz sends to each route of the proxy: a body that succeeds
 * (to mutate one field at a time), the query parameters a GET route reads,
 * and the shape its errors take. The route names are the proxy's own
 * (`buildRouteTable`); a test fails when a route exists that is neither
 * here nor in {@link NOT_FUZZED}.
 */

/** OpenAI's `{error:{message,type,param,code}}`, or Anthropic's `{type:"error",error:{type,message}}`. */
export type ErrorShape = 'openai' | 'anthropic';

/** Ids the valid requests refer to, made before the run. */
export interface FuzzFixtures {
  /** A virtual key the fuzz updates and regenerates (never the one it sends requests with). */
  victimKey: string;
  /** A stored response of the virtual key that sends requests (the fuzz may delete it). */
  responseId: string;
  /** Another, which only `previous_response_id` names (never deleted). */
  historyId: string;
  userId: string;
  teamId: string;
}

/** One route of the table, as the fuzz reaches it. */
export interface RouteTarget {
  /** The route's name in the table (its `/v1` form). */
  route: string;
  methods: ReadonlyArray<'GET' | 'POST' | 'DELETE'>;
  shape: ErrorShape;
  /** A body the route accepts (POST routes read JSON). */
  valid?(f: FuzzFixtures): Record<string, unknown>;
  /** The query parameters the route reads, each with a value it accepts. */
  query?(f: FuzzFixtures): Record<string, string>;
  /** A path parameter (`{id}`, `{model}`, `{key}`) and a value it accepts. */
  pathParam?(f: FuzzFixtures): string;
  /** True where the body is not JSON (multipart): only wrong bodies and content types are sent. */
  notJsonBody?: boolean;
}

const messages = [{ role: 'user', content: 'hi' }];
const post = ['POST'] as const;
const get = ['GET'] as const;

export const ROUTE_TARGETS: readonly RouteTarget[] = [
  {
    route: '/v1/chat/completions',
    methods: post,
    shape: 'openai',
    valid: () => ({
      model: 'chat',
      messages,
      max_tokens: 3,
      temperature: 0.5,
      user: 'fuzz-user',
      metadata: { tag: 'x' },
      stream: false,
    }),
  },
  {
    route: '/v1/completions',
    methods: post,
    shape: 'openai',
    valid: () => ({ model: 'text', prompt: 'hi', max_tokens: 3, user: 'u' }),
  },
  {
    route: '/v1/embeddings',
    methods: post,
    shape: 'openai',
    valid: () => ({ model: 'embed', input: ['hi', 'there'], encoding_format: 'float' }),
  },
  {
    route: '/v1/rerank',
    methods: post,
    shape: 'openai',
    valid: () => ({ model: 'rerank', query: 'q', documents: ['a', 'b'], top_n: 1 }),
  },
  { route: '/v1/audio/transcriptions', methods: post, shape: 'openai', notJsonBody: true },
  {
    route: '/v1/messages',
    methods: post,
    shape: 'anthropic',
    valid: () => ({ model: 'chat', max_tokens: 3, system: 'be brief', messages }),
  },
  {
    route: '/v1/messages/count_tokens',
    methods: post,
    shape: 'anthropic',
    valid: () => ({ model: 'chat', messages }),
  },
  {
    route: '/v1/responses',
    methods: post,
    shape: 'openai',
    valid: f => ({
      model: 'chat',
      input: [{ role: 'user', content: 'and now?' }],
      previous_response_id: f.historyId,
      max_output_tokens: 3,
      store: true,
    }),
  },
  {
    route: '/v1/responses/{id}',
    methods: ['GET', 'DELETE'],
    shape: 'openai',
    pathParam: f => f.responseId,
  },
  {
    route: '/v1/responses/{id}/input_items',
    methods: get,
    shape: 'openai',
    pathParam: f => f.responseId,
    query: () => ({ order: 'asc' }),
  },
  { route: '/v1/models', methods: get, shape: 'openai' },
  { route: '/v1/models/{model}', methods: get, shape: 'openai', pathParam: () => 'chat' },
  { route: '/v1/model/info', methods: get, shape: 'openai' },
  { route: '/health', methods: get, shape: 'openai' },
  { route: '/health/liveliness', methods: get, shape: 'openai' },
  { route: '/health/readiness', methods: get, shape: 'openai' },
  {
    route: '/key/generate',
    methods: post,
    shape: 'openai',
    valid: f => ({
      models: ['chat'],
      max_budget: 10,
      duration: '1h',
      budget_duration: '30d',
      rpm_limit: 100,
      tpm_limit: 10_000,
      metadata: { team: 'fuzz' },
      user_id: f.userId,
    }),
  },
  {
    route: '/key/update',
    methods: post,
    shape: 'openai',
    valid: f => ({ key: f.victimKey, max_budget: 5, metadata: { a: 1 }, models: ['chat'] }),
  },
  { route: '/key/info', methods: get, shape: 'openai', query: f => ({ key: f.victimKey }) },
  {
    route: '/key/delete',
    methods: post,
    shape: 'openai',
    valid: () => ({ keys: ['sk-fuzz-never-made'] }),
  },
  {
    route: '/key/list',
    methods: get,
    shape: 'openai',
    query: f => ({ page: '1', size: '10', user_id: f.userId, team_id: f.teamId }),
  },
  {
    route: '/key/regenerate',
    methods: post,
    shape: 'openai',
    valid: f => ({ key: f.victimKey, max_budget: 7 }),
    pathParam: f => f.victimKey,
  },
  {
    route: '/user/new',
    methods: post,
    shape: 'openai',
    valid: f => ({
      user_email: 'fuzz@example.com',
      max_budget: 5,
      models: ['chat'],
      teams: [f.teamId],
      auto_create_key: false,
      metadata: { m: 1 },
    }),
  },
  { route: '/user/info', methods: get, shape: 'openai', query: f => ({ user_id: f.userId }) },
  {
    route: '/team/new',
    methods: post,
    shape: 'openai',
    valid: f => ({
      team_alias: 'fuzz team',
      max_budget: 5,
      models: ['chat'],
      members_with_roles: [{ role: 'user', user_id: f.userId }],
      metadata: { m: 1 },
    }),
  },
  { route: '/team/info', methods: get, shape: 'openai', query: f => ({ team_id: f.teamId }) },
  {
    route: '/spend/logs',
    methods: get,
    shape: 'openai',
    query: f => ({
      user_id: f.userId,
      start_date: '2025-01-01',
      end_date: '2099-12-31',
      summarize: 'false',
    }),
  },
  { route: '/global/spend', methods: get, shape: 'openai' },
];

/** Routes of the table the fuzz leaves alone, and why. */
export const NOT_FUZZED: Readonly<Record<string, string>> = {
  '/metrics': 'Prometheus text, no JSON in or out',
};
