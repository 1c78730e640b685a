/**
 * `POST …/generate` and `…/generate_stream`. Errors found before inference
 * come back as JSON with their status, even on the stream route. `/generate`
 * needs exactly one model response; the stream sends one `data:` event per
 * response, no `[DONE]`, and a failure after the first response as an
 * in-band `{"error":…}` event under the 200 already sent.
 */
import { sendJsonWithFault } from '../shared/fault-responder';
import { SseStream } from '../shared/sse-stream';
import { GENERATE_EXACTLY_ONE } from './error-messages';
import { parseGenerateRequest } from './generate-request';
import { flattenGenerateResponse, type ModelResponse } from './generate-response';
import { type InferenceRequest, validateInputs } from './inference-request';
import type { ServedModel } from './model-registry';
import { runModel } from './model-runner';
import { type RouteContext, sendMethodNotAllowed, sendTritonError } from './route-context';
import { TritonError } from './triton-error';

const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

/** Handles a generate request for `model`. */
export async function handleGenerate(
  ctx: RouteContext,
  model: ServedModel,
  stream: boolean,
): Promise<void> {
  if (ctx.method !== 'POST') return sendMethodNotAllowed(ctx);
  let request: InferenceRequest;
  try {
    request = parseGenerateRequest(model.definition, ctx.body);
    validateInputs(model.definition, request);
  } catch (error) {
    return sendTritonError(ctx, error);
  }
  const responses = runModel({ model, request, timing: ctx.state.timing, signal: ctx.signal });
  const flatten = (response: ModelResponse) =>
    flattenGenerateResponse({ model: model.definition, requestId: request.id, response });
  if (stream) return streamResponses(ctx, responses, flatten);

  const collected: ModelResponse[] = [];
  try {
    for await (const response of responses) collected.push(response);
  } catch (error) {
    const triton = error as TritonError;
    // The status comes from the first response; a later failure keeps the 200.
    const status = collected.length === 0 ? triton.status : 200;
    return sendJsonWithFault(ctx.res, status, triton.toBody(), ctx.fault);
  }
  if (ctx.signal.aborted) return;
  if (collected.length !== 1) {
    return sendJsonWithFault(ctx.res, 200, { error: GENERATE_EXACTLY_ONE }, ctx.fault);
  }
  sendJsonWithFault(ctx.res, 200, flatten(collected[0]!), ctx.fault);
}

async function streamResponses(
  ctx: RouteContext,
  responses: AsyncGenerator<ModelResponse>,
  flatten: (response: ModelResponse) => Record<string, unknown>,
): Promise<void> {
  const iterator = responses[Symbol.asyncIterator]();
  let first: IteratorResult<ModelResponse>;
  try {
    first = await iterator.next();
  } catch (error) {
    // A first response that is an error sets the HTTP status, still framed as SSE.
    const triton = error as TritonError;
    ctx.res.writeHead(triton.status, { 'content-type': 'text/event-stream; charset=utf-8' });
    ctx.res.end(sse(triton.toBody()));
    return;
  }
  const out = new SseStream({
    res: ctx.res,
    fault: ctx.fault,
    inBandError: () => sse({ error: 'injected fault: the stream failed' }),
    terminator: '',
  });
  out.open(200);
  let next = first;
  try {
    while (!next.done) {
      if (!(await out.send(sse(flatten(next.value))))) {
        await iterator.return(undefined);
        return;
      }
      next = await iterator.next();
    }
  } catch (error) {
    if (out.active) {
      const message = TritonError.isInstance(error) ? error.message : String(error);
      await out.send(sse({ error: message }));
    }
  }
  out.end();
}
