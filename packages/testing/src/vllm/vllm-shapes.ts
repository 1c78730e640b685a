/**
 * `POST /v1/messages` and `/v1/responses`, served the way vLLM serves them:
 * the request becomes a chat completion request, the emulator's own chat
 * endpoint generates the answer, and the answer (or each streamed chunk, as
 * it arrives) becomes the other API's shape. vLLM ends these streams
 * without `[DONE]`, and answers `/v1/messages` errors in Anthropic's shape.
 */
import {
  type AnthropicRequest,
  anthropicErrorBody,
  anthropicToChatRequest,
  chatChunksToAnthropicEvents,
  chatChunksToResponseEvents,
  chatToAnthropicMessage,
  chatToResponse,
  type ResponsesRequest,
  responsesToChatRequest,
} from '@switchyard/api-shapes';
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  isSwitchyardError,
  readSseJson,
} from '@switchyard/core';
import { request } from 'undici';
import { SseStream } from '../shared/sse-stream';
import { type RouteCall, reply, type VllmContext } from './vllm-context';
import { errorBody, VllmHttpError } from './vllm-errors';
import { requireObjectBody } from './vllm-sampling';

type Api = 'messages' | 'responses';
type Json = Record<string, unknown>;

/** `POST /v1/messages`. */
export function handleMessages(ctx: VllmContext, call: RouteCall): Promise<void> {
  return serveShape(ctx, call, 'messages');
}

/** `POST /v1/responses` (vLLM stores nothing unless started with its store enabled; neither does this). */
export function handleResponses(ctx: VllmContext, call: RouteCall): Promise<void> {
  return serveShape(ctx, call, 'responses');
}

async function serveShape(ctx: VllmContext, call: RouteCall, api: Api): Promise<void> {
  const body = requireObjectBody(call.body);
  try {
    if (api === 'messages' && typeof body.max_tokens !== 'number')
      throw new VllmHttpError({
        status: 400,
        type: 'BadRequestError',
        message: 'max_tokens: Field required',
      });
    const chat = toChat(api, body);
    const stream = body.stream === true;
    const res = await request(`http://127.0.0.1:${call.req.socket.localPort}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(call.req.headers.authorization
          ? { authorization: call.req.headers.authorization }
          : {}),
      },
      body: JSON.stringify({ ...chat, model: body.model }),
    });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      throw new VllmHttpError({ status: res.statusCode, type: 'BadRequestError', message });
    }
    if (!stream) {
      const data = (await res.body.json()) as ChatCompletion;
      reply(
        call,
        api === 'messages'
          ? chatToAnthropicMessage(data)
          : chatToResponse(data, body as ResponsesRequest),
      );
      return;
    }
    const chunks = readSseJson<ChatCompletionChunk>(res.body);
    const events =
      api === 'messages'
        ? chatChunksToAnthropicEvents(chunks)
        : chatChunksToResponseEvents(chunks, body as ResponsesRequest);
    const out = new SseStream({
      res: call.res,
      fault: call.fault,
      inBandError: () =>
        named({
          type: 'error',
          error: { type: 'internal_error', message: 'Internal server error' },
        }),
    });
    out.open();
    for await (const event of events) {
      // vLLM's Anthropic stream has no ping.
      if ((event as Json).type === 'ping') continue;
      if (!(await out.send(named(event as Json)))) {
        await events.return?.();
        return;
      }
    }
    out.end();
  } catch (error) {
    const failure = asVllmError(error);
    if (call.res.headersSent) {
      call.res.destroy();
      return;
    }
    reply(
      call,
      api === 'messages'
        ? anthropicErrorBody(failure.status, failure.message)
        : errorBody(failure, ctx.errorShape),
      failure.status,
    );
  }
}

function toChat(api: Api, body: Json): ChatCompletionRequest {
  return api === 'messages'
    ? anthropicToChatRequest(body as AnthropicRequest)
    : responsesToChatRequest(body as ResponsesRequest);
}

function named(event: Json): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

function asVllmError(error: unknown): VllmHttpError {
  if (error instanceof VllmHttpError) return error;
  if (isSwitchyardError(error))
    return new VllmHttpError({
      status: error.status,
      type: 'BadRequestError',
      message: error.message,
    });
  return new VllmHttpError({
    status: 500,
    type: 'InternalServerError',
    message: error instanceof Error ? error.message : String(error),
  });
}
