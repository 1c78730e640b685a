import { z } from 'zod';
import { usageSchema } from './usage';

/** An audio file to transcribe: its bytes plus a file name (the upstream reads the extension). */
export interface AudioFile {
  data: Uint8Array | Blob;
  filename: string;
  /** MIME type; guessed from the file name when absent. */
  contentType?: string;
}

/** The non-file fields of an OpenAI `/v1/audio/transcriptions` request. */
export const transcriptionParamsSchema = z.looseObject({
  model: z.string().min(1),
  language: z.string().nullish(),
  prompt: z.string().nullish(),
  response_format: z.enum(['json', 'text', 'srt', 'verbose_json', 'vtt']).nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  timestamp_granularities: z.array(z.enum(['word', 'segment'])).nullish(),
});

/** A transcription request: the parameters plus the audio file. */
export type TranscriptionRequest = z.infer<typeof transcriptionParamsSchema> & { file: AudioFile };

/** A transcription response (`json` / `verbose_json`). */
export const transcriptionResponseSchema = z.looseObject({
  text: z.string(),
  language: z.string().nullish(),
  duration: z.number().nullish(),
  segments: z.array(z.unknown()).nullish(),
  words: z.array(z.unknown()).nullish(),
  usage: z.union([usageSchema, z.looseObject({ type: z.string() })]).nullish(),
});

export type TranscriptionResponse = z.infer<typeof transcriptionResponseSchema>;
