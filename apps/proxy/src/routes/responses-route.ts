import { isPlainResponsesRequest, newId, responsesRequestSchema } from '@switchyard/api-shapes';
import { ProxyError } from '../http/proxy-error';
import { sendJson } from '../http/send';
import type { ReportedUsage } from '../metrics/proxy-metrics';
import { type ResponseStore, responseStoreOf } from '../responses/response-store';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { type ShapeKind, type ShapeSession, shapeRoute } from './shape-route';

type Json = Record<string, unknown>;

/** Chat-shaped usage from Responses usage (`input_tokens`, `output_tokens`, `total_tokens`). */
function fromResponsesUsage(usage: unknown): ReportedUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const u = usage as Json;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    prompt_tokens: num(u.input_tokens),
    completion_tokens: num(u.output_tokens),
    total_tokens: num(u.total_tokens),
  };
}

/** Who owns what a request stores: its virtual key, the master key, or anyone (no keys). */
export function ownerOf(ex: Exchange): string {
  const p = ex.principal;
  if (p?.kind === 'key') return `key:${p.record.token}`;
  return p?.kind === 'master' ? 'master' : 'anonymous';
}

const RESPONSES: ShapeKind = {
  schema: responsesRequestSchema,
  plain: isPlainResponsesRequest,
  what: 'responses request',
  callType: 'aresponses',
  call: (ctx, body, opts) => ctx.router.responses(body as Json & { model: string }, opts),
  stream: (ctx, body, opts) => ctx.router.responsesStream(body as Json & { model: string }, opts),
  usageOf: answer => fromResponsesUsage(answer.usage),
  eventUsage: (event, seen) => {
    const response = event.response as Json | undefined;
    return response?.usage ? fromResponsesUsage(response.usage) : seen;
  },
  streamError: (status, message) =>
    `event: error\ndata: ${JSON.stringify({ type: 'error', code: String(status), message, param: null })}\n\n`,
  errorBody: (_status, body) => body,
  prepare: prepareConversation,
};

/**
 * The conversation a request continues: the stored history of
 * `previous_response_id` (its context and output), then this request's
 * input with each `item_reference` replaced by the stored item. The
 * upstream gets the whole conversation and stores nothing itself (see
 * withNativeResponsesRequest); the answer (and each event carrying the
 * response) says what the client asked for, and is stored when `store` is
 * not false. A request that continues nothing and references nothing
 * stored (the usual one) reads no store, is prepared without a wait and
 * routed as it came.
 */
function prepareConversation(
  ctx: ProxyContext,
  ex: Exchange,
  body: Json,
): ShapeSession | Promise<ShapeSession> {
  const store = responseStoreOf(ctx);
  const owner = ownerOf(ex);
  const previousId =
    typeof body.previous_response_id === 'string' ? body.previous_response_id : null;
  if (previousId !== null) return continued({ store, owner, body, previousId });
  const input = body.input;
  if (Array.isArray(input) && input.some(isReference))
    return withReferences({ store, owner }, input as Json[]).then(items =>
      conversation({ store, owner, body, previousId, history: [], input: items }),
    );
  // Nothing stored to bring in: the upstream gets the input as the client wrote it (the
  // same chat messages as its items would make), without a copy of the body; the input is
  // made items with ids only for a response that is kept.
  const keep = body.store !== false;
  const items = keep ? inputItems(input) : [];
  // Arguments spelt out, not spread from a shared object: on every request, spreads cost more here
  // than the rest of the preparation.
  return session({ store, owner, body, previousId, keep, input: items, context: items });
}

/** A request continuing `previousId`: its stored history first, then the input. */
async function continued(args: {
  store: ResponseStore;
  owner: string;
  body: Json;
  previousId: string;
}): Promise<ShapeSession> {
  const { store, owner, previousId } = args;
  const previous = await store.get(previousId, owner);
  if (!previous) {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      param: 'previous_response_id',
      message: `Previous response with id '${previousId}' not found.`,
    });
  }
  const history = [
    ...previous.context,
    ...((previous.response.output as Json[] | undefined) ?? []),
  ];
  const input = args.body.input;
  const items =
    Array.isArray(input) && input.some(isReference)
      ? await withReferences(args, input as Json[])
      : inputItems(input);
  return conversation({ ...args, history, input: items });
}

/** The session of a conversation whose history and input are known: routed as a whole. */
function conversation(args: {
  store: ResponseStore;
  owner: string;
  body: Json;
  previousId: string | null;
  history: Json[];
  input: Json[];
}): ShapeSession {
  const { body, input } = args;
  const context = [...args.history, ...input];
  return session({
    ...args,
    // A copy: the admin page's record of the request holds the body as the client sent it.
    body: { ...body, input: context },
    keep: body.store !== false,
    context,
  });
}

/**
 * What a prepared request carries to its end: the body to route, the
 * client's own `store` and previous id on the answer and events, and (when
 * kept) the store write.
 */
function session(args: {
  store: ResponseStore;
  owner: string;
  body: Json;
  previousId: string | null;
  keep: boolean;
  /** This request's input items, as stored for input_items. */
  input: Json[];
  /** The whole conversation as stored, for a later previous_response_id. */
  context: Json[];
}): ShapeSession {
  const { store, owner, previousId, keep, input, context } = args;
  // Translated to chat, the response reports the body's own `store` and previous id and is
  // passed on uncopied; a deployment's own /v1/responses was told `store: false` and no
  // previous id (withNativeResponsesRequest), and the client is told what it asked for.
  const echo = (response: Json): Json =>
    response.previous_response_id === previousId && response.store === keep
      ? response
      : { ...response, previous_response_id: previousId, store: keep };
  const prepared: ShapeSession = {
    body: args.body,
    answer: echo,
    event: event => {
      const response = event.response as Json | undefined;
      const echoed = response && echo(response);
      return echoed === response ? event : { ...event, response: echoed };
    },
  };
  if (keep) {
    prepared.finish = async (response: Json) => {
      if (typeof response.id !== 'string') return;
      await store.save({ id: response.id, owner, response, inputItems: input, context });
    };
  }
  return prepared;
}

/** The request's input as items with ids (no item references in it). */
function inputItems(input: unknown): Json[] {
  if (input === undefined) return [];
  if (typeof input === 'string')
    return [
      {
        type: 'message',
        id: newId('msg_'),
        role: 'user',
        content: [{ type: 'input_text', text: input }],
      },
    ];
  return (input as Json[]).map(withId);
}

function isReference(item: unknown): boolean {
  return (item as Json).type === 'item_reference';
}

async function withReferences(
  where: { store: ResponseStore; owner: string },
  items: Json[],
): Promise<Json[]> {
  const out: Json[] = [];
  for (const [index, item] of items.entries()) {
    if (item.type !== 'item_reference') {
      out.push(withId(item));
      continue;
    }
    const found = await where.store.item(item.id as string, where.owner);
    if (!found) {
      throw new ProxyError({
        status: 404,
        type: 'invalid_request_error',
        param: `input[${index}].id`,
        message: `Item with id '${String(item.id)}' not found.`,
      });
    }
    out.push(found);
  }
  return out;
}

function withId(item: Json): Json {
  return typeof item.id === 'string' ? item : { ...item, id: newId(itemPrefix(item)) };
}

function itemPrefix(item: Json): string {
  if (item.type === 'function_call') return 'fc_';
  if (item.type === 'function_call_output') return 'fco_';
  if (item.type === 'reasoning') return 'rs_';
  return 'msg_';
}

/** `POST /v1/responses`: the OpenAI Responses API, with stored responses. */
export const responsesRoute: RouteDef = shapeRoute(RESPONSES);

function notFound(id: string): ProxyError {
  return new ProxyError({
    status: 404,
    type: 'invalid_request_error',
    param: 'response_id',
    message: `Response with id '${id}' not found.`,
  });
}

/** `GET` / `DELETE /v1/responses/{id}`: a stored response (its owner's, or any for the master key). */
export const responseByIdRoute: RouteDef = {
  method: 'GET',
  methods: ['GET', 'DELETE'],
  auth: true,
  handle: async (ctx, ex) => {
    const id = ex.pathParam ?? '';
    const store = responseStoreOf(ctx);
    if (ex.req.method === 'DELETE') {
      if (!(await store.delete(id, ownerOf(ex)))) throw notFound(id);
      sendJson(ex.res, 200, { id, object: 'response', deleted: true });
      return;
    }
    const stored = await store.get(id, ownerOf(ex));
    if (!stored) throw notFound(id);
    sendJson(ex.res, 200, stored.response);
  },
};

/** `GET /v1/responses/{id}/input_items`: the request's own input items, as a list. */
export const inputItemsRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle: async (ctx, ex) => {
    const id = ex.pathParam ?? '';
    const stored = await responseStoreOf(ctx).get(id, ownerOf(ex));
    if (!stored) throw notFound(id);
    const order = new URL(ex.req.url ?? '/', 'http://x').searchParams.get('order');
    const data = order === 'asc' ? stored.inputItems : [...stored.inputItems].reverse();
    sendJson(ex.res, 200, {
      object: 'list',
      data,
      first_id: (data[0]?.id as string | undefined) ?? null,
      last_id: (data.at(-1)?.id as string | undefined) ?? null,
      has_more: false,
    });
  },
};
