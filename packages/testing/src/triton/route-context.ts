/**
 * What every route handler of the emulator receives, and the small helpers
 * they share to answer in Triton's shapes with a request's fault applied.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonWithFault } from '../shared/fault-responder';
import type { Fault } from '../shared/faults';
import type { TimingOptions } from '../shared/timing';
import type { ModelRegistry } from './model-registry';
import type { OpenAiRestriction } from './openai-restriction';
import { TritonError } from './triton-error';

/** Mutable emulator-wide state. */
export interface EmulatorState {
  registry: ModelRegistry;
  timing: TimingOptions;
  serverReady: boolean;
  restrictions: OpenAiRestriction[];
}

/** One request being answered. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  body: Buffer;
  fault: Fault | undefined;
  state: EmulatorState;
  /** Fires when the client goes away. */
  signal: AbortSignal;
}

/** Sends `{"error":"…"}` with the error's status (a non-Triton error is a 500). */
export function sendTritonError(ctx: RouteContext, error: unknown): void {
  const triton = TritonError.isInstance(error)
    ? error
    : new TritonError('INTERNAL', (error as Error).message ?? String(error));
  sendJsonWithFault(ctx.res, triton.status, triton.toBody(), ctx.fault);
}

/** 405 as Triton's HTTP server sends it. */
export function sendMethodNotAllowed(ctx: RouteContext): void {
  sendJsonWithFault(ctx.res, 405, { error: 'Method Not Allowed' }, ctx.fault);
}

/** An empty-bodied answer (health and ready routes). */
export function sendEmptyWithFault(
  ctx: RouteContext,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (ctx.fault?.dropAfter === 0) {
    ctx.res.destroy();
    return;
  }
  ctx.res.writeHead(status, { 'content-length': '0', ...headers });
  ctx.res.end();
}

/** Sends a prepared body (binary infer responses), honouring a `dropAfter: 0` fault. */
export function sendBufferWithFault(
  ctx: RouteContext,
  status: number,
  body: Buffer,
  headers: Record<string, string>,
): void {
  ctx.res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  if (ctx.fault?.dropAfter === 0) {
    ctx.res.write(body.subarray(0, Math.floor(body.length / 2)), () => ctx.res.destroy());
    return;
  }
  ctx.res.end(body);
}
