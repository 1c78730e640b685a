/**
 * `POST …/infer`: KServe v2 inference with JSON or binary tensors. Decoupled
 * models are refused with 501 as Triton's HTTP endpoint does.
 */
import { INFERENCE_HEADER_CONTENT_LENGTH } from './binary-tensor';
import { decoupledUnsupported } from './error-messages';
import { type ParsedInferRequest, parseInferRequest } from './infer-request';
import { encodeInferResponse } from './infer-response';
import { validateInputs } from './inference-request';
import type { ServedModel } from './model-registry';
import { runModel } from './model-runner';
import {
  type RouteContext,
  sendBufferWithFault,
  sendMethodNotAllowed,
  sendTritonError,
} from './route-context';
import type { Tensor } from './tensor';
import { TritonError } from './triton-error';

/** Handles an infer request for `model`. */
export async function handleInfer(ctx: RouteContext, model: ServedModel): Promise<void> {
  if (ctx.method !== 'POST') return sendMethodNotAllowed(ctx);
  if (model.definition.decoupled) return sendTritonError(ctx, decoupledUnsupported());
  try {
    const request = parseInferRequest(ctx.body, headerLength(ctx));
    validateInputs(model.definition, request);
    const outputs = await runOnce(ctx, model, request);
    if (ctx.signal.aborted) return;
    const encoded = encodeInferResponse({
      model: model.definition,
      requestId: request.id,
      outputs,
      requested: request.outputs,
      binaryDataOutput: request.binaryDataOutput,
    });
    sendBufferWithFault(ctx, 200, encoded.body, encoded.headers);
  } catch (error) {
    sendTritonError(ctx, error);
  }
}

function headerLength(ctx: RouteContext): number | undefined {
  const raw = ctx.req.headers[INFERENCE_HEADER_CONTENT_LENGTH];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value.trim())) {
    throw new TritonError(
      'INVALID_ARG',
      `Inference-Header-Content-Length must be a non-negative integer, got '${value ?? ''}'`,
    );
  }
  return Number(value);
}

async function runOnce(
  ctx: RouteContext,
  model: ServedModel,
  request: ParsedInferRequest,
): Promise<Tensor[]> {
  const outputs: Tensor[] = [];
  for await (const response of runModel({
    model,
    request,
    timing: ctx.state.timing,
    signal: ctx.signal,
  })) {
    outputs.push(...response.outputs);
  }
  return outputs;
}
