/**
 * The binary tensor data extension end to end: a binary request body, a
 * binary response with `Inference-Header-Content-Length`, and the codec
 * for every fixed-size type and BYTES.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeTritonBinaryTensor,
  encodeTritonBinaryTensor,
  INFERENCE_HEADER_CONTENT_LENGTH,
  TRITON_SIMPLE_MODEL,
} from '../src/index';
import { startTriton } from './triton-helpers';

const int32 = (values: number[]) => encodeTritonBinaryTensor('INT32', values);

describe('binary tensor extension', () => {
  it('round-trips binary inputs and binary outputs through /infer', async () => {
    const emu = await startTriton({
      models: [{ name: 'simple', profile: 'generic', generic: TRITON_SIMPLE_MODEL }],
    });
    const a = Array.from({ length: 16 }, (_, i) => i * 3);
    const b = Array.from({ length: 16 }, (_, i) => -i);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: 'INPUT0',
            datatype: 'INT32',
            shape: [1, 16],
            parameters: { binary_data_size: 64 },
          },
          {
            name: 'INPUT1',
            datatype: 'INT32',
            shape: [1, 16],
            parameters: { binary_data_size: 64 },
          },
        ],
        outputs: [{ name: 'OUTPUT0', parameters: { binary_data: true } }, { name: 'OUTPUT1' }],
      }),
    );
    const response = await fetch(`${emu.url}/v2/models/simple/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        [INFERENCE_HEADER_CONTENT_LENGTH]: String(header.length),
      },
      body: Buffer.concat([header, int32(a), int32(b)]),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const raw = Buffer.from(await response.arrayBuffer());
    const jsonLength = Number(response.headers.get(INFERENCE_HEADER_CONTENT_LENGTH));
    expect(Number(response.headers.get('content-length'))).toBe(raw.length);
    const json = JSON.parse(raw.subarray(0, jsonLength).toString('utf8'));
    expect(json).toEqual({
      model_name: 'simple',
      model_version: '1',
      outputs: [
        {
          name: 'OUTPUT0',
          datatype: 'INT32',
          shape: [1, 16],
          parameters: { binary_data_size: 64 },
        },
        { name: 'OUTPUT1', datatype: 'INT32', shape: [1, 16], data: a.map((x, i) => x - b[i]!) },
      ],
    });
    const sum = decodeTritonBinaryTensor({
      name: 'OUTPUT0',
      datatype: 'INT32',
      bytes: raw.subarray(jsonLength),
    });
    expect(sum).toEqual(a.map((x, i) => x + b[i]!));
  });

  it('sends every output binary with parameters.binary_data_output, BYTES length-prefixed', async () => {
    const emu = await startTriton({
      models: [{ name: 'embedder', profile: 'embedding', dimensions: 3 }],
    });
    const texts = encodeTritonBinaryTensor('BYTES', ['héllo', 'world']);
    expect(texts.readUInt32LE(0)).toBe(Buffer.byteLength('héllo'));
    const header = Buffer.from(
      JSON.stringify({
        parameters: { binary_data_output: true },
        inputs: [
          {
            name: 'input_text',
            datatype: 'BYTES',
            shape: [2],
            parameters: { binary_data_size: texts.length },
          },
        ],
      }),
    );
    const response = await fetch(`${emu.url}/v2/models/embedder/infer`, {
      method: 'POST',
      headers: { [INFERENCE_HEADER_CONTENT_LENGTH]: String(header.length) },
      body: Buffer.concat([header, texts]),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    const jsonLength = Number(response.headers.get(INFERENCE_HEADER_CONTENT_LENGTH));
    const json = JSON.parse(raw.subarray(0, jsonLength).toString('utf8'));
    expect(json.outputs).toEqual([
      { name: 'embeddings', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
    ]);
    const floats = decodeTritonBinaryTensor({
      name: 'e',
      datatype: 'FP32',
      bytes: raw.subarray(jsonLength),
    });
    expect(Math.hypot(...floats.slice(0, 3).map(Number))).toBeCloseTo(1, 5);
    // The same text embeds the same way over JSON.
    const viaJson = await fetch(`${emu.url}/v2/models/embedder/infer`, {
      method: 'POST',
      body: JSON.stringify({
        inputs: [{ name: 'input_text', datatype: 'BYTES', shape: [1], data: ['héllo'] }],
      }),
    }).then(r => r.json() as Promise<{ outputs: { data: number[] }[] }>);
    expect(viaJson.outputs[0]!.data).toEqual(floats.slice(0, 3));
  });

  it('refuses a binary size that runs past the body, and a header length past it', async () => {
    const emu = await startTriton({
      models: [{ name: 'simple', profile: 'generic', generic: TRITON_SIMPLE_MODEL }],
    });
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: 'INPUT0',
            datatype: 'INT32',
            shape: [1, 16],
            parameters: { binary_data_size: 64 },
          },
          {
            name: 'INPUT1',
            datatype: 'INT32',
            shape: [1, 16],
            parameters: { binary_data_size: 64 },
          },
        ],
      }),
    );
    const short = await fetch(`${emu.url}/v2/models/simple/infer`, {
      method: 'POST',
      headers: { [INFERENCE_HEADER_CONTENT_LENGTH]: String(header.length) },
      body: Buffer.concat([header, int32(new Array(16).fill(1))]),
    });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toContain(
      "unexpected size for input 'INPUT1'",
    );
    const past = await fetch(`${emu.url}/v2/models/simple/infer`, {
      method: 'POST',
      headers: { [INFERENCE_HEADER_CONTENT_LENGTH]: '9999' },
      body: header,
    });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { error: string }).error).toContain(
      'Inference-Header-Content-Length 9999',
    );
  });

  it('encodes and decodes every fixed-size datatype little-endian', () => {
    const cases: Array<
      [Parameters<typeof encodeTritonBinaryTensor>[0], number[] | boolean[], number]
    > = [
      ['BOOL', [true, false, true], 1],
      ['UINT8', [0, 255], 1],
      ['INT8', [-128, 127], 1],
      ['UINT16', [65535], 2],
      ['INT16', [-32768], 2],
      ['UINT32', [4294967295], 4],
      ['INT32', [-5, 7], 4],
      ['UINT64', [2 ** 40], 8],
      ['INT64', [-(2 ** 40)], 8],
      ['FP16', [1.5, -2, 0.099975586], 2],
      ['BF16', [1.5, -2], 2],
      ['FP32', [1.25, -0.5], 4],
      ['FP64', [Math.PI], 8],
    ];
    for (const [datatype, values, size] of cases) {
      const bytes = encodeTritonBinaryTensor(datatype, values);
      expect(bytes.length, datatype).toBe(values.length * size);
      const back = decodeTritonBinaryTensor({ name: 'x', datatype, bytes });
      if (datatype === 'FP16')
        expect((back as number[]).map(v => Number(v.toFixed(4)))).toEqual([1.5, -2, 0.1]);
      else expect(back, datatype).toEqual(values);
    }
    expect(encodeTritonBinaryTensor('INT32', [1]).equals(Buffer.from([1, 0, 0, 0]))).toBe(true);
  });
});
