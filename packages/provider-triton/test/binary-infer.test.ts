import { afterAll, describe, expect, it } from 'vitest';
import { decodeTensor, tritonProvider } from '../src/index';
import { context, http } from './helpers';
import { startStub } from './stub-server';

afterAll(() => http.close());

function bytesTensor(items: string[]): Buffer {
  return Buffer.concat(
    items.flatMap(item => {
      const text = Buffer.from(item, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length);
      return [length, text];
    }),
  );
}

/** A response in the binary tensor extension: JSON header, then raw outputs in order. */
function binaryAnswer(header: unknown, tails: Buffer[]) {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return {
    bytes: Buffer.concat([json, ...tails]),
    headers: { 'inference-header-content-length': String(json.length) },
  };
}

describe('binary tensor responses (Inference-Header-Content-Length)', () => {
  it('decodes BYTES text and UINT32 counts for chat', async () => {
    const text = bytesTensor(['héllo ', 'wörld']);
    const counts = Buffer.alloc(4);
    counts.writeUInt32LE(7);
    const stub = await startStub(() =>
      binaryAnswer(
        {
          model_name: 'm',
          outputs: [
            {
              name: 'text_output',
              datatype: 'BYTES',
              shape: [2],
              parameters: { binary_data_size: text.length },
            },
            {
              name: 'num_output_tokens',
              datatype: 'UINT32',
              shape: [1],
              parameters: { binary_data_size: 4 },
            },
          ],
        },
        [text, counts],
      ),
    );
    try {
      const { data } = await tritonProvider.chat(
        { model: 'triton/m', messages: [{ role: 'user', content: 'hi' }] },
        context(`${stub.url}/infer`, 'm'),
      );
      expect(data.choices[0]?.message.content).toBe('héllo wörld');
      expect(data.usage?.completion_tokens).toBe(7);
      expect(data.usage?.estimated).toBe(true); // the prompt side was estimated
    } finally {
      await stub.close();
    }
  });

  it('decodes FP32 embeddings and splits them by shape', async () => {
    const floats = Buffer.from(new Float32Array([0.5, 1.5, -2, 4]).buffer);
    const stub = await startStub(() =>
      binaryAnswer(
        {
          outputs: [
            {
              name: 'embeddings',
              datatype: 'FP32',
              shape: [2, 2],
              parameters: { binary_data_size: 16 },
            },
          ],
        },
        [floats],
      ),
    );
    try {
      const { data } = await tritonProvider.embedding(
        { model: 'triton/e', input: ['a', 'b'] },
        context(stub.url, 'e'),
      );
      expect(data.data.map(d => d.embedding)).toEqual([
        [0.5, 1.5],
        [-2, 4],
      ]);
    } finally {
      await stub.close();
    }
  });

  it('decodes every fixed-width datatype little-endian', () => {
    const raw = (fill: (view: DataView) => void, size: number) => {
      const buffer = new Uint8Array(size);
      fill(new DataView(buffer.buffer));
      return buffer;
    };
    expect(
      decodeTensor(
        'INT32',
        raw(v => v.setInt32(0, -5, true), 4),
        'm',
      ),
    ).toEqual([-5]);
    expect(
      decodeTensor(
        'INT64',
        raw(v => v.setBigInt64(0, 9n, true), 8),
        'm',
      ),
    ).toEqual([9]);
    expect(decodeTensor('BOOL', new Uint8Array([1, 0]), 'm')).toEqual([true, false]);
    expect(
      decodeTensor(
        'FP16',
        raw(v => v.setUint16(0, 0x3c00, true), 2),
        'm',
      ),
    ).toEqual([1]);
    expect(
      decodeTensor(
        'BF16',
        raw(v => v.setUint16(0, 0x4040, true), 2),
        'm',
      ),
    ).toEqual([3]);
    expect(
      decodeTensor(
        'FP64',
        raw(v => v.setFloat64(0, 0.25, true), 8),
        'm',
      ),
    ).toEqual([0.25]);
    expect(() => decodeTensor('INT32', new Uint8Array(3), 'm')).toThrow(
      /not a whole number of INT32/,
    );
  });
});
