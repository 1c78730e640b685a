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

const knownPartSchemas: Readonly<Record<string, z.ZodType>> = {
  text: textPartSchema,
  image_url: imageUrlPartSchema,
  input_audio: inputAudioPartSchema,
  file: filePartSchema,
  video_url: videoUrlPartSchema,
};

/**
 * A part of another type (vLLM's `audio_url`, `image_embeds`, …): kept as
 * given so provider-specific parts reach the upstream.
 */
export type OtherPart = { type: string; [key: string]: unknown };

/**
 * Any content part of a chat message. Parts of a known type are checked
 * against that type's shape (so errors point inside the part, e.g.
 * `image_url.url`); parts of other types are kept as given.
 */
export const contentPartSchema = z.looseObject({ type: z.string() }).superRefine((part, ctx) => {
  const schema = knownPartSchemas[part.type];
  if (!schema) return;
  const result = schema.safeParse(part);
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
}) as unknown as z.ZodType<
  TextPart | ImageUrlPart | InputAudioPart | FilePart | VideoUrlPart | OtherPart
>;

export type TextPart = z.infer<typeof textPartSchema>;
export type ImageUrlPart = z.infer<typeof imageUrlPartSchema>;
export type InputAudioPart = z.infer<typeof inputAudioPartSchema>;
export type FilePart = z.infer<typeof filePartSchema>;
export type VideoUrlPart = z.infer<typeof videoUrlPartSchema>;
export type ContentPart =
  | TextPart
  | ImageUrlPart
  | InputAudioPart
  | FilePart
  | VideoUrlPart
  | OtherPart;
