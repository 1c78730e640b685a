import { describe, expect, it } from 'vitest';
import { PlainChunkByteTemplate } from './plain-chunk-bytes';
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

/** `json` as the bytes of an upstream read, with other bytes around it, as a reader sees it. */
function inRead(json: string): [Buffer, number, number] {
  const bytes = Buffer.from(`data: {"x":1}\n\ndata: ${json}\n\n`);
  const start = bytes.indexOf(`data: ${json}`) + 'data: '.length;
  return [bytes, start, bytes.length - 2];
}

function learned(json: string): PlainChunkByteTemplate {
  const [bytes, start, end] = inRead(json);
  const latin1 = bytes.toString('latin1', start, end);
  expect(isPlainChatChunkText(latin1)).toBe(true);
  const template = new PlainChunkByteTemplate();
  template.learn(latin1, bytes, start);
  return template;
}

const matches = (template: PlainChunkByteTemplate, json: string) =>
  template.matches(...inRead(json));

describe('PlainChunkByteTemplate', () => {
  it('knows nothing before it learned a chunk', () => {
    expect(matches(new PlainChunkByteTemplate(), delta(' quick'))).toBe(false);
  });

  it('matches the learned chunk with any other content string, multi-byte text included', () => {
    const template = learned(delta('Grüße'));
    expect(matches(template, delta(' quick'))).toBe(true);
    expect(matches(template, delta(''))).toBe(true);
    expect(matches(template, delta('über 🚀'))).toBe(true);
    expect(matches(template, delta('say "hi" \\ ok\\'))).toBe(true);
    expect(matches(template, delta('"index":1,"finish_reason":"stop"'))).toBe(true);
  });

  it('refuses a chunk whose other fields differ', () => {
    const template = learned(delta('The'));
    expect(matches(template, delta(' end', 'length'))).toBe(false);
    expect(matches(template, delta('x').replace('chatcmpl-1', 'chatcmpl-2'))).toBe(false);
    expect(matches(template, `${delta('x').slice(0, -1)},"usage":{"total_tokens":3}}`)).toBe(false);
    expect(matches(template, delta('x').replace('"model":"m"', '"model":"ü"'))).toBe(false);
  });

  it('refuses bytes that only look like the learned chunk around a forged middle', () => {
    const template = learned(delta('The'));
    const text = delta('The');
    const open = text.indexOf('"The"') + 1;
    const prefix = text.slice(0, open);
    const suffix = text.slice(open + 3);
    // Quotes that close the string early and add a finish reason and usage.
    const forged = `x"},"finish_reason":"stop","usage":{"a":1},"z":{"q":"`;
    expect(matches(template, `${prefix}${forged}${suffix}`)).toBe(false);
    // A trailing backslash escapes the closing quote: the string would run on.
    expect(matches(template, `${prefix}ab\\${suffix}`)).toBe(false);
    expect(matches(template, `${prefix}ab\\\\${suffix}`)).toBe(true);
    expect(matches(template, `${prefix}ab\\"${suffix}`)).toBe(true);
    // Shorter than the learned text around its string: not the same chunk.
    expect(matches(template, prefix + suffix.slice(1))).toBe(false);
  });

  it('learns nothing from a chunk whose content is not a string', () => {
    const template = new PlainChunkByteTemplate();
    const [bytes, start, end] = inRead(delta('x').replace('"content":"x"', '"content":null'));
    template.learn(bytes.toString('latin1', start, end), bytes, start);
    expect(matches(template, delta('y'))).toBe(false);
  });

  it('keeps its own copy of the bytes it learned from', () => {
    const [bytes, start, end] = inRead(delta('The'));
    const template = new PlainChunkByteTemplate();
    template.learn(bytes.toString('latin1', start, end), bytes, start);
    bytes.fill(0x20);
    expect(matches(template, delta('next'))).toBe(true);
  });
});
