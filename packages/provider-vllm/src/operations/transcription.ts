import {
  type CallContext,
  type ProviderResponse,
  type TranscriptionRequest,
  type TranscriptionResponse,
  transcriptionResponseSchema,
} from '@switchyard/core';
import { transcriptionForm } from '../request/transcription-form';
import { type ProviderSetup, upstreamRequest } from './upstream-call';

/** Formats whose answer is plain text rather than JSON. */
const TEXT_FORMATS = new Set(['text', 'srt', 'vtt']);

/**
 * `POST /v1/audio/transcriptions` as a multipart upload. JSON formats are
 * returned as the server sent them; `text`, `srt` and `vtt` answers are
 * plain text, returned as `{ text }`.
 */
export async function transcription(
  request: TranscriptionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<TranscriptionResponse>> {
  const base = upstreamRequest({ ctx, setup, endpoint: 'transcriptions' });
  const call = { ...base, method: 'POST' as const, body: transcriptionForm(request, ctx) };
  const format = request.response_format ?? undefined;
  if (format !== undefined && TEXT_FORMATS.has(format)) {
    const res = await ctx.http.bytes(call);
    return { data: { text: Buffer.from(res.data).toString('utf8') }, headers: res.headers };
  }
  const res = await ctx.http.json({ ...call, schema: transcriptionResponseSchema });
  return { data: res.data, headers: res.headers };
}
