import { BadRequestError } from '@switchyard/core';

/** The upstream operations this provider calls, each with its own path on a vLLM server. */
export type VllmEndpoint =
  | 'chat'
  | 'completions'
  | 'embeddings'
  | 'rerank'
  | 'transcriptions'
  | 'messages'
  | 'responses'
  | 'tokenize';

const ENDPOINT_PATHS: Readonly<Record<VllmEndpoint, string>> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  // vLLM serves rerank at the root: `/v1/rerank` is a deprecated alias (LiteLLM issue #14937).
  rerank: '/rerank',
  transcriptions: '/v1/audio/transcriptions',
  messages: '/v1/messages',
  responses: '/v1/responses',
  tokenize: '/tokenize',
};

// Paths a user may have pasted as the base (LiteLLM accepted full endpoint URLs); longest first.
const KNOWN_SUFFIXES = [
  '/v1/messages',
  '/v1/responses',
  '/v1/audio/transcriptions',
  '/audio/transcriptions',
  '/v1/chat/completions',
  '/chat/completions',
  '/v1/completions',
  '/completions',
  '/v1/embeddings',
  '/embeddings',
  '/v1/rerank',
  '/v2/rerank',
  '/rerank',
];

/**
 * The server root of an api_base: trailing slashes, a pasted endpoint path
 * and a trailing `/v1` are removed, so `http://h:8000`, `http://h:8000/`,
 * `http://h:8000/v1` and `http://h:8000/v1/` all give `http://h:8000`. A
 * `--root-path` prefix (`http://h/vllm/v1`) is kept.
 */
export function serverRoot(apiBase: string): string {
  // Parsed once per distinct base: a deployment's base is the same on every call.
  const known = rootCache.get(apiBase);
  if (known !== undefined) return known;
  const root = parseServerRoot(apiBase);
  if (rootCache.size >= ROOT_CACHE_LIMIT) rootCache.clear();
  rootCache.set(apiBase, root);
  return root;
}

const ROOT_CACHE_LIMIT = 256;
const rootCache = new Map<string, string>();

function parseServerRoot(apiBase: string): string {
  let parsed: URL;
  try {
    parsed = new URL(apiBase.trim());
  } catch {
    throw invalidBase(apiBase);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidBase(apiBase);
  let path = parsed.pathname.replace(/\/+$/, '');
  const suffix = KNOWN_SUFFIXES.find(candidate => path.endsWith(candidate));
  if (suffix) path = path.slice(0, -suffix.length);
  if (path.endsWith('/v1')) path = path.slice(0, -'/v1'.length);
  return `${parsed.origin}${path}`;
}

/** The full URL of one operation on the server at `apiBase`. */
export function endpointUrl(apiBase: string, endpoint: VllmEndpoint): string {
  return `${serverRoot(apiBase)}${ENDPOINT_PATHS[endpoint]}`;
}

function invalidBase(apiBase: string): BadRequestError {
  return new BadRequestError({
    message: `api_base must be an http(s) URL of a vLLM server, such as http://localhost:8000; got ${JSON.stringify(apiBase)}`,
    param: 'api_base',
  });
}
