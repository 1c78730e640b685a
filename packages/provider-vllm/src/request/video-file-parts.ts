import { BadRequestError } from '@switchyard/core';

const VIDEO_EXTENSIONS = new Set([
  'mp4',
  'm4v',
  'mov',
  'webm',
  'mkv',
  'avi',
  'mpeg',
  'mpg',
  'ogv',
  '3gp',
  'wmv',
  'flv',
]);
// Watch pages carry no file extension, yet LiteLLM's own docs send them as videos.
const VIDEO_HOSTS = ['youtube.com', 'youtu.be', 'vimeo.com'];

/** Where a content part sits, for error messages. */
export interface PartLocation {
  message: number;
  part: number;
}

/**
 * A `{"type":"file"}` part that holds a video becomes vLLM's
 * `{"type":"video_url","video_url":{"url"}}` (`file_id` preferred over
 * `file_data`). Video is recognised by `file.format`, the MIME type of a
 * `data:` URI, the file extension of `file_id`, or a known video host. Other
 * parts (and non-video files) are returned as they are.
 */
export function fileToVideoPart(part: unknown, at: PartLocation): unknown {
  if (typeof part !== 'object' || part === null || (part as { type?: unknown }).type !== 'file')
    return part;
  const file = (part as { file?: unknown }).file;
  const where = `messages[${at.message}].content[${at.part}].file`;
  if (typeof file !== 'object' || file === null) {
    throw new BadRequestError({
      message: `${where} must be an object with file_id or file_data`,
      param: where,
    });
  }
  const { file_id: id, file_data: data, format } = file as Record<string, unknown>;
  const url = nonEmptyString(id) ?? nonEmptyString(data);
  if (url === undefined) {
    throw new BadRequestError({
      message: `${where}: file_id or file_data is required`,
      param: where,
    });
  }
  const isVideo =
    (typeof format === 'string' && format.startsWith('video/')) ||
    dataUriIsVideo(nonEmptyString(data)) ||
    urlIsVideo(nonEmptyString(id));
  return isVideo ? { type: 'video_url', video_url: { url } } : part;
}

function dataUriIsVideo(data: string | undefined): boolean {
  return data !== undefined && /^data:video\//i.test(data);
}

function urlIsVideo(id: string | undefined): boolean {
  if (id === undefined) return false;
  if (dataUriIsVideo(id)) return true;
  let path = id;
  try {
    const url = new URL(id);
    const host = url.hostname.toLowerCase();
    if (VIDEO_HOSTS.some(known => host === known || host.endsWith(`.${known}`))) return true;
    path = url.pathname;
  } catch {
    // A bare file id or path: judge by its extension.
  }
  const dot = path.lastIndexOf('.');
  return dot >= 0 && VIDEO_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
