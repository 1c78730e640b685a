/**
 * Ready-made tensor models for the `generic` profile: the KServe
 * specification's example model (the default) and Triton's `simple`
 * add/sub model.
 */
import type { GenericModelSpec } from './model-options';
import { type Tensor, tensor } from './tensor';

/**
 * The model of the KServe v2 specification's inference examples: `input0`
 * UINT32 [2,2] and `input1` BOOL [3] give `output0` FP32 [3,2]. The
 * specification shows no computation, only an answer; the emulator gives
 * that answer (`[1.0, 1.1, 2.0, 2.1, 3.0, 3.1]`) for any valid input.
 */
export const KSERVE_EXAMPLE_MODEL: GenericModelSpec = {
  inputs: [
    { name: 'input0', datatype: 'UINT32', dims: [2, 2] },
    { name: 'input1', datatype: 'BOOL', dims: [3] },
  ],
  outputs: [{ name: 'output0', datatype: 'FP32', dims: [3, 2] }],
  compute(): Tensor[] {
    return [tensor('output0', 'FP32', [1.0, 1.1, 2.0, 2.1, 3.0, 3.1], [3, 2])];
  },
};

/**
 * Triton's `simple` example model: two INT32 [16] inputs, their sum and
 * difference as outputs, batching up to 8.
 */
export const SIMPLE_MODEL: GenericModelSpec = {
  maxBatchSize: 8,
  platform: 'onnxruntime_onnx',
  inputs: [
    { name: 'INPUT0', datatype: 'INT32', dims: [16] },
    { name: 'INPUT1', datatype: 'INT32', dims: [16] },
  ],
  outputs: [
    { name: 'OUTPUT0', datatype: 'INT32', dims: [16] },
    { name: 'OUTPUT1', datatype: 'INT32', dims: [16] },
  ],
  compute(inputs: Record<string, Tensor>): Tensor[] {
    const a = inputs.INPUT0!;
    const b = inputs.INPUT1!;
    const sum = a.data.map((x, i) => Number(x) + Number(b.data[i]));
    const diff = a.data.map((x, i) => Number(x) - Number(b.data[i]));
    return [tensor('OUTPUT0', 'INT32', sum, a.shape), tensor('OUTPUT1', 'INT32', diff, a.shape)];
  },
};
