import { describe, expect, it } from 'vitest';
import { PlainChunkTemplate } from './plain-chunk-template';
import { isPlainChatChunkText } from './plain-chunk-text';

/** A vLLM text delta as vLLM writes it (compact JSON). */
function delta(content: string, finish: string | null = null): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: finish }],
  });
}

function learned(text: string): PlainChunkTemplate {
  expect(isPlainChatChunkText(text)).toBe(true);
  const template = new PlainChunkTemplate();
  template.learn(text);
  return template;
}

/** The text of `chunk` before and after its content string `content`. */
function aroundContent(chunk: string, content: string): [string, string] {
  const open = chunk.indexOf(`"${content}"`) + 1;
  return [chunk.slice(0, open), chunk.slice(open + content.length)];
}

/**
 * Texts around `delta('The')`'s content string that only look like a plain
 * chunk, each with whether it is one: quotes that close the string early and
 * add a finish reason and usage; a trailing backslash that escapes the
 * closing quote (the string would run on); an escaped backslash, which is fine.
 */
function forgedMiddles(): [string, boolean][] {
  const [prefix, suffix] = aroundContent(delta('The'), 'The');
  const forged = `x"},"finish_reason":"stop","usage":{"a":1},"z":{"q":"`;
  return [
    [`${prefix}${forged}${suffix}`, false],
    [`${prefix}ab\\${suffix}`, false],
    [`${prefix}ab\\\\${suffix}`, true],
  ];
}

describe('PlainChunkTemplate', () => {
  it('knows nothing before it learned a chunk', () => {
    expect(new PlainChunkTemplate().matches(delta(' quick'))).toBe(false);
  });

  it('matches the learned chunk with any other content string', () => {
    const template = learned(delta('The'));
    expect(template.matches(delta(' quick'))).toBe(true);
    expect(template.matches(delta(''))).toBe(true);
    expect(template.matches(delta('say "hi" \\ ok\\'))).toBe(true);
    expect(template.matches(delta('"index":1,"finish_reason":"stop"'))).toBe(true);
  });

  it('learns from content with escapes in it', () => {
    const template = learned(delta('a "quoted" \\ word\\'));
    expect(template.matches(delta('next'))).toBe(true);
  });

  it('refuses a chunk whose other fields differ', () => {
    const template = learned(delta('The'));
    expect(template.matches(delta(' end', 'length'))).toBe(false);
    expect(template.matches(delta('x').replace('chatcmpl-1', 'chatcmpl-2'))).toBe(false);
    expect(template.matches(`${delta('x').slice(0, -1)},"usage":{"total_tokens":3}}`)).toBe(false);
  });

  it('refuses text that only looks like the learned chunk around a forged middle', () => {
    const template = learned(delta('The'));
    for (const [text, same] of forgedMiddles()) expect(template.matches(text), text).toBe(same);
  });

  it('learns nothing from a chunk whose content is not a string', () => {
    const template = new PlainChunkTemplate();
    template.learn(delta('x').replace('"content":"x"', '"content":null'));
    expect(template.matches(delta('y'))).toBe(false);
  });
});

describe('PlainChunkTemplate.matchesAt (a chunk inside an upstream read, read as latin1)', () => {
  /** `json` inside a read with other events around it, as its bytes read one character per byte. */
  function inRead(json: string): [string, number, number] {
    const read = Buffer.from(`data: {"x":1}\n\ndata: ${json}\n\ndata: {"y":2}\n\n`).toString(
      'latin1',
    );
    const latin1 = Buffer.from(json).toString('latin1');
    const start = read.indexOf(latin1);
    return [read, start, start + latin1.length];
  }
  function learnedAt(json: string): PlainChunkTemplate {
    const [read, start, end] = inRead(json);
    return learned(read.slice(start, end));
  }
  const matchesAt = (template: PlainChunkTemplate, json: string) =>
    template.matchesAt(...inRead(json));

  it('matches the learned chunk with any other content string, multi-byte text included', () => {
    const template = learnedAt(delta('Grüße'));
    expect(matchesAt(template, delta(' quick'))).toBe(true);
    expect(matchesAt(template, delta(''))).toBe(true);
    expect(matchesAt(template, delta('über 🚀'))).toBe(true);
    expect(matchesAt(template, delta('say "hi" \\ ok\\'))).toBe(true);
  });

  it('refuses a chunk whose other fields differ, a non-ASCII byte included', () => {
    const template = learnedAt(delta('The'));
    expect(matchesAt(template, delta(' end', 'length'))).toBe(false);
    expect(matchesAt(template, delta('x').replace('"model":"m"', '"model":"ü"'))).toBe(false);
    expect(matchesAt(template, `${delta('x').slice(0, -1)},"usage":{"total_tokens":3}}`)).toBe(
      false,
    );
  });

  it('refuses bytes that only look like the learned chunk around a forged middle', () => {
    const template = learnedAt(delta('The'));
    for (const [text, same] of forgedMiddles()) expect(matchesAt(template, text), text).toBe(same);
    // Shorter than the learned text around its string: not the same chunk.
    const [prefix, suffix] = aroundContent(delta('The'), 'The');
    expect(matchesAt(template, prefix + suffix.slice(1))).toBe(false);
  });
});
