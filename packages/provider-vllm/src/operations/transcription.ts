import {
  BadGatewayError,
  type CallContext,
  type ProviderResponse,
  type TranscriptionRequest,
  type TranscriptionResponse,
  transcriptionResponseSchema,
} from '@switchyard/core';
import { encodeForm, transcriptionForm } from '../request/transcription-form';
import { type ProviderSetup, postRaw, upstreamRequest } from './upstream-call';

/** Formats whose answer is plain text rather than JSON. */
const TEXT_FORMATS = new Set(['text', 'srt', 'vtt']);
const MAX_TEXT_BYTES = 32 * 1024 * 1024;

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
  const form = await encodeForm(transcriptionForm(request, ctx));
  const format = request.response_format ?? undefined;
  if (format !== undefined && TEXT_FORMATS.has(format)) {
    const res = await postRaw({ ctx, setup, endpoint: 'transcriptions', form });
    const text = await readText(res.body, setup.id, ctx.model);
    return { data: { text }, headers: res.headers };
  }
  const base = upstreamRequest({ ctx, setup, endpoint: 'transcriptions' });
  const res = await ctx.http.json({
    ...base,
    headers: { ...base.headers, 'content-type': form.contentType },
    body: form.bytes,
    schema: transcriptionResponseSchema,
  });
  return { data: res.data, headers: res.headers };
}

async function readText(
  body: AsyncIterable<Uint8Array>,
  provider: string,
  model: string,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_TEXT_BYTES) {
      throw new BadGatewayError({
        message: `transcription answer exceeds ${MAX_TEXT_BYTES} bytes`,
        provider,
        model,
      });
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
