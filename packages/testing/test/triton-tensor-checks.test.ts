/**
 * The KServe example model behind `generic`, how Triton refuses tensor
 * data that does not fill its shape (who checks, which status), and
 * embedding requests through the vLLM-backend profile (what LiteLLM's
 * triton embeddings send).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeTritonBinaryTensor,
  encodeTritonBinaryTensor,
  INFERENCE_HEADER_CONTENT_LENGTH,
} from '../src/index';
import { parseModelArg } from '../src/triton/triton-cli';
import { postJson, startTriton } from './triton-helpers';

const EXAMPLE_OUTPUT = [1.0, 1.1, 2.0, 2.1, 3.0, 3.1];

/** The example model's two inputs as binary tensors, `input0` holding `values`. */
function exampleBinaryInputs(values: number[]) {
  return [
    {
      header: {
        name: 'input0',
        shape: [2, 2],
        datatype: 'UINT32',
        parameters: { binary_data_size: values.length * 4 },
      },
      bytes: encodeTritonBinaryTensor('UINT32', values),
    },
    {
      header: { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
      bytes: encodeTritonBinaryTensor('BOOL', [true, false, true]),
    },
  ];
}

async function binaryInfer(url: string, inputs: { header: object; bytes: Buffer }[]) {
  const header = Buffer.from(
    JSON.stringify({
      inputs: inputs.map(i => i.header),
      parameters: { binary_data_output: true },
    }),
  );
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      [INFERENCE_HEADER_CONTENT_LENGTH]: String(header.length),
    },
    body: Buffer.concat([header, ...inputs.map(i => i.bytes)]),
  });
}

describe('generic profile: the KServe specification example model', () => {
  it('answers JSON tensors with output0 FP32 [3,2]', async () => {
    const emu = await startTriton({ models: [{ name: 'mymodel', profile: 'generic' }] });
    const res = await postJson(`${emu.url}/v2/models/mymodel/infer`, {
      id: '42',
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: '42',
      model_name: 'mymodel',
      model_version: '1',
      outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: EXAMPLE_OUTPUT }],
    });
    const meta = await fetch(`${emu.url}/v2/models/mymodel`).then(r => r.json());
    expect(meta).toMatchObject({
      inputs: [
        { name: 'input0', datatype: 'UINT32', shape: [2, 2] },
        { name: 'input1', datatype: 'BOOL', shape: [3] },
      ],
      outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2] }],
    });
  });

  it('answers binary tensors with a binary output0', async () => {
    const emu = await startTriton({ models: [{ name: 'mymodel', profile: 'generic' }] });
    const res = await binaryInfer(
      `${emu.url}/v2/models/mymodel/infer`,
      exampleBinaryInputs([1, 2, 3, 4]),
    );
    expect(res.status).toBe(200);
    const raw = Buffer.from(await res.arrayBuffer());
    const headerLength = Number(res.headers.get(INFERENCE_HEADER_CONTENT_LENGTH));
    const header = JSON.parse(raw.subarray(0, headerLength).toString('utf8'));
    expect(header.outputs[0]).toMatchObject({
      name: 'output0',
      datatype: 'FP32',
      shape: [3, 2],
      parameters: { binary_data_size: 24 },
    });
    const values = decodeTritonBinaryTensor({
      name: 'output0',
      datatype: 'FP32',
      bytes: raw.subarray(headerLength),
    }) as number[];
    expect(values.map(v => Number(v.toFixed(4)))).toEqual(EXAMPLE_OUTPUT);
  });
});

describe('data that does not fill its shape', () => {
  it('binary data of the wrong size: core refuses it as an invalid argument (400)', async () => {
    const emu = await startTriton({ models: [{ name: 'mymodel', profile: 'generic' }] });
    const res = await binaryInfer(
      `${emu.url}/v2/models/mymodel/infer`,
      exampleBinaryInputs([1, 2, 3]),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error:
        "[request id: <id_unknown>] input byte size mismatch for input 'input0' for model 'mymodel'. Expected 16, got 12",
    });
  });

  it('BYTES data with too few or too many strings: core refuses it (400)', async () => {
    const emu = await startTriton({ models: [{ name: 'emb', profile: 'embedding' }] });
    const url = `${emu.url}/v2/models/emb/infer`;
    const input = (data: string[]) => ({
      inputs: [{ name: 'input_text', shape: [3], datatype: 'BYTES', data }],
    });
    const few = await postJson(url, input(['a', 'b']));
    expect(few.status).toBe(400);
    expect(few.body).toEqual({
      error:
        "[request id: <id_unknown>] expected 3 string elements for inference input 'input_text' for model 'emb', got 2",
    });
    const many = await postJson(url, input(['a', 'b', 'c', 'd', 'e']));
    expect(many.status).toBe(400);
    expect(many.body).toEqual({
      error:
        "[request id: <id_unknown>] unexpected number of string elements 4 for inference input 'input_text' for model 'emb', expecting 3",
    });
  });

  it("numeric JSON data: the HTTP frontend's own INTERNAL error, 500 as Triton 2.61 sends it", async () => {
    const emu = await startTriton({ models: [{ name: 'mymodel', profile: 'generic' }] });
    const res = await postJson(`${emu.url}/v2/models/mymodel/infer`, {
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
      ],
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: "Unable to parse 'data': Shape does not match true shape of 'data' field",
    });
  });

  it('/generate values that cannot fill the input: 400 from the generate frontend', async () => {
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    const res = await postJson(`${emu.url}/v2/models/vllm_model/generate`, {
      text_input: ['one', 'two'],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: "The schema can not convert input 'text_input' to tensor with proper shape",
    });
  });
});

describe('vLLM-backend profile serving an embedding model', () => {
  const embeddingRequest = JSON.stringify({
    input: 'The food was delicious',
    pooling_params: { dimensions: [4] },
  });

  it('answers embedding_request with the JSON-encoded vector in text_output', async () => {
    const emu = await startTriton({
      models: [{ name: 'minilm', profile: 'vllm', task: 'embed', dimensions: 16 }],
    });
    const res = await postJson(`${emu.url}/v2/models/minilm/generate`, {
      embedding_request: embeddingRequest,
      return_num_input_tokens: true,
      return_num_output_tokens: true,
    });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ model_name: 'minilm', num_input_tokens: 4, num_output_tokens: 0 });
    const vector = JSON.parse(body.text_output as string) as number[];
    expect(vector).toHaveLength(4);
    expect(Math.hypot(...vector)).toBeGreaterThan(0);
  });

  it('an embedding model refuses generation and a generation model refuses embedding', async () => {
    const emu = await startTriton({
      models: [
        { name: 'minilm', profile: 'vllm', task: 'embed' },
        { name: 'llama', profile: 'vllm' },
      ],
    });
    const generate = await postJson(`${emu.url}/v2/models/minilm/generate`, { text_input: 'hi' });
    expect(generate.status).toBe(500);
    expect(generate.body).toEqual({
      error: "Error generating stream: Model minilm does not support 'generate' request",
    });
    const embed = await postJson(`${emu.url}/v2/models/llama/generate`, {
      embedding_request: embeddingRequest,
    });
    expect(embed.body).toEqual({
      error: "Error generating stream: Model llama does not support 'embed' request",
    });
  });

  it('the CLI takes NAME:vllm:embed and NAME:generic:simple', () => {
    expect(parseModelArg('minilm:vllm:embed')).toEqual({
      name: 'minilm',
      profile: 'vllm',
      task: 'embed',
    });
    expect(parseModelArg('simple:generic:simple')).toMatchObject({
      name: 'simple',
      profile: 'generic',
      generic: { platform: 'onnxruntime_onnx' },
    });
    expect(parseModelArg('mymodel:generic')).toEqual({ name: 'mymodel', profile: 'generic' });
  });
});
