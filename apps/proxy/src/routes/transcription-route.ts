import { BadRequestError, parseOrThrow, transcriptionParamsSchema } from '@switchyard/core';
import { isAdmin } from '../http/auth';
import { assertSafeFieldName } from '../http/body-hazards';
import { readBody } from '../http/read-body';
import { proxyHeaders } from '../http/response-headers';
import { sendJson } from '../http/send';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { assertClientCallOptions } from './client-credentials';
import { assertServedModel, clientGoneSignal, elapsedMs } from './routed-call';

const NUMERIC_FIELDS = new Set(['temperature']);

/**
 * `/v1/audio/transcriptions`: OpenAI's multipart upload (`file` plus form
 * fields). The form is parsed with the platform's own FormData parser;
 * fields arrive as text, so numbers are converted before validation and
 * `timestamp_granularities[]` is gathered into a list, as OpenAI accepts it.
 */
async function serveTranscription(ctx: ProxyContext, ex: Exchange): Promise<void> {
  const contentType = ex.req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new BadRequestError({
      message: `Invalid request: expected a multipart/form-data body with a file field, got content-type "${contentType}"`,
      param: 'file',
    });
  }
  const raw = await readBody(ex.req, ctx.bodyRead);
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new BadRequestError({
      message: `Invalid multipart body: ${(error as Error).message}`,
      param: null,
    });
  }
  const fields: Record<string, unknown> = {};
  const granularities: string[] = [];
  let file: File | undefined;
  for (const [name, value] of form) {
    assertSafeFieldName(name);
    if (typeof value !== 'string') {
      if (name === 'file') file = value as File;
      continue;
    }
    if (name === 'timestamp_granularities[]' || name === 'timestamp_granularities') {
      granularities.push(value);
    } else if (NUMERIC_FIELDS.has(name) && value.trim() !== '' && Number.isFinite(Number(value))) {
      fields[name] = Number(value);
    } else fields[name] = value;
  }
  if (granularities.length > 0) fields.timestamp_granularities = granularities;
  if (typeof fields.model === 'string') ex.model = fields.model;
  if (!file)
    throw new BadRequestError({
      message: 'Invalid request: file: expected an uploaded audio file',
      param: 'file',
    });
  const params = parseOrThrow(transcriptionParamsSchema, fields, 'transcription request');
  assertServedModel(ctx.router, params.model);
  // Form fields reach the SDK as call options too: the same rules as a JSON body.
  assertClientCallOptions(params, {
    allowClientSideCredentials: ctx.config.general_settings.allow_client_side_credentials === true,
  });
  const audio = {
    data: new Uint8Array(await file.arrayBuffer()),
    filename: file.name || 'audio',
    contentType: file.type || undefined,
  };
  const result = await ctx.router.transcription(
    { ...params, file: audio },
    { signal: clientGoneSignal(ex.req) },
  );
  ex.routing = result.routing;
  sendJson(
    ex.res,
    200,
    result.data,
    proxyHeaders({
      callId: ex.callId,
      hideApiBase: !isAdmin(ex.principal),
      routing: result.routing,
      upstream: result.headers,
      totalMs: elapsedMs(ex),
    }),
  );
}

export const transcriptionRoute: RouteDef = {
  method: 'POST',
  auth: true,
  handle: serveTranscription,
};
