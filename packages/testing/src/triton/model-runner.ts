/**
 * Runs a request through a model profile while keeping the model's real
 * counters: pending until its first response, success or failure, and
 * the durations the metrics report.
 */
import type { TimingOptions } from '../shared/timing';
import { createTokenPacer } from '../shared/timing';
import type { ModelResponse } from './generate-response';
import type { InferenceRequest } from './inference-request';
import type { ServedModel } from './model-registry';
import { EXECUTORS } from './profiles/index';
import { TritonError } from './triton-error';

/** Options for {@link runModel}. */
export interface RunModelOptions {
  model: ServedModel;
  request: InferenceRequest;
  timing: TimingOptions;
  signal: AbortSignal;
}

/** Yields the model's responses; a model error is thrown as a TritonError. */
export async function* runModel(options: RunModelOptions): AsyncGenerator<ModelResponse> {
  const { model, request, signal } = options;
  const metrics = model.metrics;
  const started = performance.now();
  let firstAt: number | undefined;
  let failed = false;
  metrics.pending++;
  const executor = EXECUTORS[model.definition.profile];
  try {
    for await (const response of executor({
      model: model.definition,
      options: model.options,
      request,
      pacer: createTokenPacer(options.timing),
      signal,
    })) {
      if (firstAt === undefined) {
        firstAt = performance.now();
        metrics.pending--;
      }
      yield response;
    }
  } catch (error) {
    failed = true;
    if (TritonError.isInstance(error)) throw error;
    throw new TritonError('INTERNAL', `emulated model failure: ${(error as Error).message}`);
  } finally {
    const ended = performance.now();
    if (firstAt === undefined) metrics.pending--;
    const aborted = signal.aborted && !failed;
    if (failed || aborted) metrics.requestFailure++;
    else metrics.requestSuccess++;
    metrics.inferenceCount++;
    metrics.execCount++;
    const us = Math.round((ended - started) * 1000);
    metrics.requestDurationUs += us;
    if (failed || aborted) metrics.failureDurationUs += us;
    // The emulator has no scheduler queue: all of a request's time is compute.
    metrics.computeInferDurationUs += Math.round((ended - started) * 1000);
    metrics.lastInference = Date.now();
  }
}
