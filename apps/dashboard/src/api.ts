import { storedKey } from './session';

/** A failed call, with the message from the proxy's OpenAI-shaped error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** Options of {@link api}. */
export interface ApiOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** A key to try instead of the stored one (signing in). */
  key?: string | null;
}

/**
 * Calls the proxy (same origin) with the master key in the `Authorization`
 * header and returns the parsed JSON; throws {@link ApiError} with the
 * proxy's own message on failure.
 */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const key = options.key === undefined ? storedKey() : options.key;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'The proxy did not answer. Is it running?');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = (json as { error?: { message?: unknown; param?: unknown } } | undefined)?.error;
    const message = typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`;
    throw new ApiError(res.status, message, typeof error?.param === 'string' ? error.param : null);
  }
  return json as T;
}
