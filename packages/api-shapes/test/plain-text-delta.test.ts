import { describe, expect, it } from 'vitest';
import { plainTextDelta } from '../src/shared/plain-text-delta';

/** A vLLM-like chunk with `content` written as the given JSON literal. */
const chunkText = (literal: string, extra = '') =>
  `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":${literal}},"logprobs":null,"finish_reason":null}]${extra}}`;

describe('plainTextDelta', () => {
  // Each literal as an upstream may write it; `json` must be what JSON.stringify makes of the text.
  const literals = [
    '"Hello"',
    '" \\"quoted\\" "',
    '"line\\nbreak\\r\\n"',
    '"tab\\there \\b\\f"',
    '"back\\\\slash\\\\"',
    '"caf\u00e9 \u{1f600} \u4e2d"',
    '"caf\\u00e9 \\ud83d\\ude00"',
    '"lone \\ud800 surrogate \\udfff"',
    '"a\\/b"',
    '"ctl \\u0001 \\u001F \\u007f"',
    '"ends in a backslash\\\\"',
    '""',
  ];
  for (const literal of literals) {
    it(`reads ${literal} as JSON.stringify writes it`, () => {
      const text = JSON.parse(literal) as string;
      expect(plainTextDelta(chunkText(literal))).toEqual({ text, json: JSON.stringify(text) });
    });
  }

  it('keeps a plain literal as the upstream wrote it', () => {
    const data = chunkText('"plain text"');
    const delta = plainTextDelta(data)!;
    expect(delta.json).toBe('"plain text"');
    expect(data.includes(delta.json)).toBe(true);
  });

  it('declines every chunk whose delta is not exactly {"content":"…"}', () => {
    const declined = [
      '{"id":"x","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}',
      '{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"x"},"finish_reason":null}]}',
      chunkText('null'),
      chunkText('["parts"]'),
      chunkText('"x"').replace('"delta":{', '"delta":{"reasoning_content":"r",'),
      chunkText('"x"').replace('"content":"x"', '"content":"x","reasoning":"r"'),
      chunkText('"x"').replace(
        '"content":"x"',
        '"content":"x","tool_calls":[{"index":0,"function":{"arguments":"{}"}}]',
      ),
      // Spaced JSON is no exact match: parsed, never misread.
      chunkText('"x"').replace('"delta":{', '"delta": {'),
      // A quote escaped inside another string is no key.
      '{"id":"x","note":"\\"delta\\":{\\"content\\":\\"x\\"}","choices":[]}',
      // Raw control characters are no JSON: refused, so the parse reports it.
      chunkText('"raw\ttab"'),
    ];
    for (const data of declined) expect(plainTextDelta(data), data).toBeUndefined();
  });

  it('writes a raw lone surrogate as JSON.stringify escapes it', () => {
    const delta = plainTextDelta(chunkText('"a\ud800b"'));
    expect(delta).toEqual({ text: 'a\ud800b', json: '"a\\ud800b"' });
  });
});
