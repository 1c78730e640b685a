import { describe, expect, it } from 'vitest';
import { fileToVideoPart } from './video-file-parts';

const at = { message: 0, part: 1 };

describe('fileToVideoPart', () => {
  it('turns video files into video_url parts, preferring file_id', () => {
    const dataUri = 'data:video/mp4;base64,https://example.com/video.mp4';
    expect(fileToVideoPart({ type: 'file', file: { file_data: dataUri } }, at)).toEqual({
      type: 'video_url',
      video_url: { url: dataUri },
    });
    expect(
      fileToVideoPart({ type: 'file', file: { file_id: 'https://cdn.example/clip.MP4?x=1' } }, at),
    ).toEqual({
      type: 'video_url',
      video_url: { url: 'https://cdn.example/clip.MP4?x=1' },
    });
    expect(
      fileToVideoPart(
        { type: 'file', file: { file_id: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' } },
        at,
      ),
    ).toEqual({
      type: 'video_url',
      video_url: { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
    });
    expect(
      fileToVideoPart(
        { type: 'file', file: { file_id: 'file-123', file_data: 'x', format: 'video/webm' } },
        at,
      ),
    ).toEqual({ type: 'video_url', video_url: { url: 'file-123' } });
  });

  it('leaves non-video files and other parts untouched (same object)', () => {
    const pdf = { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA' } };
    const text = { type: 'text', text: 'hi' };
    expect(fileToVideoPart(pdf, at)).toBe(pdf);
    expect(fileToVideoPart(text, at)).toBe(text);
  });

  it('names the part when neither file_id nor file_data is given', () => {
    expect(() => fileToVideoPart({ type: 'file', file: { filename: 'a.mp4' } }, at)).toThrow(
      'messages[0].content[1].file: file_id or file_data is required',
    );
  });
});
