import type { HttpRequest } from './http-client';

/** Headers and body of a request, ready for undici. */
export interface PreparedBody {
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/**
 * The body as text or bytes with its content type: JSON serialised, raw
 * bodies as given, multipart encoded (the only case that needs an await).
 */
export function prepareBody(req: HttpRequest): PreparedBody | Promise<PreparedBody> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    return { headers, body: JSON.stringify(req.json) };
  }
  const body = req.body;
  if (body instanceof FormData) return encodeForm(body, headers);
  return { headers, body };
}

/**
 * undici 7 refuses the FormData class Node 20 ships (it comes from Node's own
 * bundled undici), so multipart bodies are encoded here.
 */
async function encodeForm(form: FormData, headers: Record<string, string>): Promise<PreparedBody> {
  const encoded = new Response(form);
  headers['content-type'] = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return { headers, body: new Uint8Array(await encoded.arrayBuffer()) };
}
