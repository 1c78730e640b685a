/** `POST /v1/audio/transcriptions`: a multipart form, answered with deterministic text. */
import { createHash } from 'node:crypto';
import { generateTokens, naturalTokenCount, splitTokens } from '../shared/text-generator';
import { validationError } from './pydantic-message';
import { type RouteCall, reply, resolveModel, type VllmContext } from './vllm-context';
import { badRequest } from './vllm-errors';

/** What a multipart body held, as the request log records it. */
export interface MultipartSummary {
  fields: Record<string, string>;
  files: { name: string; filename: string; size: number }[];
}

/** A parsed multipart form: its summary and the files' bytes. */
export interface ParsedMultipart {
  summary: MultipartSummary;
  files: Map<string, Uint8Array>;
}

/** Parses multipart/form-data with the Web `Request#formData()`. */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedMultipart> {
  const form = await new Request('http://emulator.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const summary: MultipartSummary = { fields: {}, files: [] };
  const files = new Map<string, Uint8Array>();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      summary.fields[name] = value;
    } else {
      const bytes = new Uint8Array(await value.arrayBuffer());
      summary.files.push({ name, filename: value.name, size: bytes.length });
      files.set(name, bytes);
    }
  }
  return { summary, files };
}

/** Handles a transcription; `call.body` is the parsed multipart form. */
export function handleTranscription(ctx: VllmContext, call: RouteCall): void {
  const form = call.body as ParsedMultipart;
  const file = form.files.get('file');
  if (!file) {
    throw validationError([{ type: 'missing', loc: ['file'], msg: 'Field required', input: null }]);
  }
  const fields = form.summary.fields;
  resolveModel(ctx, fields.model);
  const format = fields.response_format ?? 'json';
  // Segment timings would have to be made up, so only the plain formats are emulated.
  if (format !== 'json' && format !== 'text') {
    throw badRequest('Currently only support response_format `text` or `json`');
  }
  const digest = createHash('sha256').update(file).digest('hex');
  const seed = `audio:${digest}:${fields.prompt ?? ''}`;
  const text =
    ctx.scriptedText ?? generateTokens({ seedText: seed, count: naturalTokenCount(seed) }).join('');
  ctx.metrics.record({
    promptTokens: 0,
    generationTokens: splitTokens(text).length,
    finishReasons: ['stop'],
  });
  if (format === 'text') {
    call.res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    call.res.end(text);
    return;
  }
  reply(call, { text });
}
