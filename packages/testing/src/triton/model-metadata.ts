/** The `/v2/models/{m}` metadata and `/config` bodies of a model definition. */
import { configDataType } from './datatypes';
import type { ModelDefinition } from './model-definition';
import { metadataShape } from './tensor';

/** Model metadata as `TRITONSERVER_ServerModelMetadata` renders it. */
export function modelMetadata(model: ModelDefinition): Record<string, unknown> {
  const entry = (spec: ModelDefinition['inputs'][number]) => ({
    name: spec.name,
    datatype: spec.datatype,
    shape: metadataShape(spec, model.maxBatchSize),
  });
  return {
    name: model.name,
    versions: [model.version],
    platform: model.platform,
    inputs: model.inputs.map(entry),
    outputs: model.outputs.map(entry),
  };
}

/** A trimmed model config (protobuf JSON names) with the fields clients read. */
export function modelConfig(model: ModelDefinition): Record<string, unknown> {
  return {
    name: model.name,
    platform: model.platform === model.backend ? '' : model.platform,
    backend: model.backend,
    version_policy: { latest: { num_versions: 1 } },
    max_batch_size: model.maxBatchSize,
    input: model.inputs.map(spec => ({
      name: spec.name,
      data_type: configDataType(spec.datatype),
      format: 'FORMAT_NONE',
      dims: spec.dims,
      is_shape_tensor: false,
      allow_ragged_batch: false,
      optional: spec.optional ?? false,
    })),
    output: model.outputs.map(spec => ({
      name: spec.name,
      data_type: configDataType(spec.datatype),
      dims: spec.dims,
      label_filename: '',
      is_shape_tensor: false,
    })),
    model_transaction_policy: { decoupled: model.decoupled },
    instance_group: [{ name: model.name, kind: 'KIND_CPU', count: 1 }],
  };
}
