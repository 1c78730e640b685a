import { parseOrThrow } from '@switchyard/core';
import type { z } from 'zod';
import { ProxyError } from '../http/proxy-error';
import { readJsonBody } from '../http/read-body';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { textProblem } from '../store/storable-value';
import type { KeyManager } from './key-manager';

/** What a management handler gets: the key manager and the exchange. */
export interface ManagementCall {
  ctx: ProxyContext;
  ex: Exchange;
  keys: KeyManager;
}

/**
 * A management route: master key only (LiteLLM's proxy admin), and only
 * when key management is on (a master key is configured).
 */
export function managementRoute(
  method: 'GET' | 'POST',
  handle: (call: ManagementCall) => Promise<void>,
): RouteDef {
  return {
    method,
    auth: true,
    async handle(ctx, ex) {
      const keys = ctx.keys;
      if (!keys) {
        throw new ProxyError({
          status: 400,
          type: 'bad_request_error',
          message: 'Key management needs general_settings.master_key (or LITELLM_MASTER_KEY).',
        });
      }
      if (ex.principal?.kind !== 'master') {
        throw new ProxyError({
          status: 401,
          type: 'auth_error',
          message: `Authentication Error, only the proxy admin (master key) can call ${ex.route}.`,
        });
      }
      // Every POST changes keys, users or teams, which other instances must hear of.
      if (method === 'POST') keys.assertRedisUp();
      await handle({ ctx, ex, keys });
    },
  };
}

/** The JSON body validated against `schema`; errors name the field. */
export async function readJson<S extends z.ZodType>(
  call: ManagementCall,
  schema: S,
  what: string,
): Promise<z.output<S>> {
  const body = await readJsonBody(call.ex.req, call.ctx.bodyRead);
  return parseOrThrow(schema, body, what);
}

/**
 * The query string of the request. Its values are looked up in the
 * database, so one it could not hold (`%00`, or a megabyte) is a 400
 * naming the parameter rather than a failed query.
 */
export function queryOf(ex: Exchange): URLSearchParams {
  const url = ex.req.url ?? '';
  const q = url.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  for (const [name, value] of params) {
    const problem = textProblem(value);
    if (problem) {
      throw new ProxyError({
        status: 400,
        type: 'bad_request_error',
        param: name,
        message: `Query parameter ${name} ${problem}.`,
      });
    }
  }
  return params;
}

/** A required query parameter, or a 400 naming it. */
export function requiredParam(ex: Exchange, name: string): string {
  const value = queryOf(ex).get(name);
  if (value === null || value === '') {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: name,
      message: `Missing query parameter ${name}: ${ex.route}?${name}=…`,
    });
  }
  return value;
}

/** An optional positive integer query parameter, or a 400 naming it. */
export function intParam(ex: Exchange, name: string, fallback: number, max: number): number {
  const raw = queryOf(ex).get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ProxyError({
      status: 400,
      type: 'bad_request_error',
      param: name,
      message: `Query parameter ${name}: expected an integer from 1 to ${max}, got "${raw}"`,
    });
  }
  return n;
}

/** 404 in LiteLLM's shape. */
export function notFound(what: string): ProxyError {
  return new ProxyError({ status: 404, type: 'not_found_error', message: what });
}
