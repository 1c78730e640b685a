import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './proto-writer';

/** Reads a varint at `at`: [value, bytes used]. */
function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const b = buf[i++]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i - at];
  }
}

describe('ProtoWriter nested messages', () => {
  // The length slot is two bytes; shorter and longer bodies move to fit.
  for (const [size, slot] of [0, 1, 127, 128, 16_383, 16_384, 70_000].flatMap(n => [
    [n, 1] as const,
    [n, 2] as const,
  ])) {
    it(`writes a ${size}-byte message behind its exact length (slot ${slot}), followed by the next field`, () => {
      const w = new ProtoWriter(16);
      const text = 'é'.repeat(size >> 2) + 'x'.repeat(size);
      const mark = w.begin(3, slot);
      if (size > 0) w.string(1, text.slice(0, Math.max(0, size - 1 - (size > 129 ? 3 : 1))));
      w.end(mark, slot);
      w.varint(4, 42);
      const out = w.view();
      expect(out[0]).toBe((3 << 3) | 2);
      const [length, used] = readVarint(out, 1);
      // The body is exactly what was written inside: the next field starts right after it.
      const next = 1 + used + length;
      expect(out[next]).toBe((4 << 3) | 0);
      expect(out[next + 1]).toBe(42);
      expect(out.length).toBe(next + 2);
      // The minimal varint for the length (what protobuf decoders expect).
      expect(used).toBe(length < 128 ? 1 : length < 16_384 ? 2 : 3);
    });
  }
});
