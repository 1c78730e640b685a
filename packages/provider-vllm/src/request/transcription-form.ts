import {
  type AudioFile,
  BadRequestError,
  type CallContext,
  type TranscriptionRequest,
} from '@switchyard/core';
import { upstreamBody } from './upstream-body';

const AUDIO_TYPES: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mpga: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/opus',
  flac: 'audio/flac',
  webm: 'audio/webm',
};

/**
 * The multipart form for `/v1/audio/transcriptions`: the file under `file`,
 * `model` set to the prefix-stripped name, every other field as text (list
 * fields as repeated `name[]` entries, objects as JSON), `extra_body` merged
 * as for JSON requests.
 */
export function transcriptionForm(request: TranscriptionRequest, ctx: CallContext): FormData {
  const file = checkFile(request.file);
  const fields = upstreamBody({
    request: request as Record<string, unknown>,
    ctx,
    consumed: ['file'],
  });
  const form = new FormData();
  const blob =
    file.data instanceof Blob
      ? file.data
      : new Blob([file.data], { type: file.contentType ?? guessType(file.filename) });
  form.append('file', blob, file.filename);
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      for (const item of value) form.append(`${name}[]`, textOf(item));
    } else {
      form.append(name, textOf(value));
    }
  }
  return form;
}

function checkFile(file: unknown): AudioFile {
  const f = file as Partial<AudioFile> | undefined;
  const dataOk =
    f !== undefined && f !== null && (f.data instanceof Uint8Array || f.data instanceof Blob);
  if (!dataOk || typeof f.filename !== 'string' || f.filename === '') {
    throw new BadRequestError({
      message: 'file must be {data: Uint8Array | Blob, filename: string, contentType?: string}',
      param: 'file',
    });
  }
  return f as AudioFile;
}

function guessType(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return (
    (dot >= 0 ? AUDIO_TYPES[filename.slice(dot + 1).toLowerCase()] : undefined) ??
    'application/octet-stream'
  );
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
