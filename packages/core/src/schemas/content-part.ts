import { z } from 'zod';

/** `{"type":"text","text":"…"}` */
export const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** `{"type":"image_url","image_url":{"url":"…","detail"?}}` — a URL or a `data:` URI. */
export const imageUrlPartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});

/** `{"type":"input_audio","input_audio":{"data":"<base64>","format":"wav"|"mp3"|…}}` */
export const inputAudioPartSchema = z.looseObject({
  type: z.literal('input_audio'),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});

/** `{"type":"file","file":{"file_id"?|"file_data"?,"filename"?,"format"?}}` */
export const filePartSchema = z.looseObject({
  type: z.literal('file'),
  file: z.looseObject({
    file_id: z.string().optional(),
    file_data: z.string().optional(),
    filename: z.string().optional(),
    format: z.string().optional(),
  }),
});

/** `{"type":"video_url","video_url":{"url":"…"}}` — vLLM's extension for video models. */
export const videoUrlPartSchema = z.looseObject({
  type: z.literal('video_url'),
  video_url: z.looseObject({ url: z.string() }),
});

/** Content-part types this package knows the shape of. */
export const KNOWN_PART_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image_url',
  'input_audio',
  'file',
  'video_url',
]);

/**
 * A part of another type (vLLM's `audio_url`, `image_embeds`, …): kept as
 * given so provider-specific parts reach the upstream.
 */
export const otherPartSchema = z.looseObject({
  type: z
    .string()
    .refine(type => !KNOWN_PART_TYPES.has(type), { message: 'malformed content part' }),
});

/** Any content part of a chat message. */
export const contentPartSchema = z.union([
  z.discriminatedUnion('type', [
    textPartSchema,
    imageUrlPartSchema,
    inputAudioPartSchema,
    filePartSchema,
    videoUrlPartSchema,
  ]),
  otherPartSchema,
]);

export type TextPart = z.infer<typeof textPartSchema>;
export type ImageUrlPart = z.infer<typeof imageUrlPartSchema>;
export type InputAudioPart = z.infer<typeof inputAudioPartSchema>;
export type FilePart = z.infer<typeof filePartSchema>;
export type VideoUrlPart = z.infer<typeof videoUrlPartSchema>;
export type ContentPart = z.infer<typeof contentPartSchema>;
