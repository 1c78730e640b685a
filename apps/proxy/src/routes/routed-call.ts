import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError } from '@switchyard/core';
import type { Router } from '@switchyard/sdk';
import type { Exchange, ProxyContext } from '../server/proxy-context';

/**
 * LiteLLM's 400 for a model the proxy does not serve, listing what it does
 * serve, so the fix is in the error message.
 */
export function assertServedModel(router: Router, model: unknown): string {
  if (typeof model !== 'string' || model === '') {
    throw new BadRequestError({
      message: 'Invalid request: model: expected a model name (string)',
      param: 'model',
    });
  }
  if (router.modelGroup(model) === undefined) {
    throw new BadRequestError({
      message: `Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models. Available models: ${router.modelGroups().join(', ') || '(none)'}`,
      param: 'model',
    });
  }
  return model;
}

/**
 * An AbortSignal that fires when the client goes away before the response
 * finished, so the router stops retrying and the upstream request is cut at
 * once (the upstream stops generating tokens nobody will read).
 */
export function clientGoneSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  // A request body that never finishes arriving is the same case.
  req.once('aborted', () => controller.abort(new Error('client disconnected')));
  return controller.signal;
}

/** Elapsed ms since the exchange began. */
export function elapsedMs(ex: Exchange): number {
  return performance.now() - ex.started;
}

export type { ProxyContext };
