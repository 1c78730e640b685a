/**
 * A request as the emulated core sees it (inputs, request parameters, id),
 * whichever frontend built it, and core's input validation.
 */
import { ELEMENT_BYTE_SIZE } from './datatypes';
import {
  byteSizeMismatch,
  datatypeMismatch,
  inputCountMismatch,
  stringElementCount,
  unexpectedInput,
  unexpectedShape,
} from './error-messages';
import type { ModelDefinition } from './model-definition';
import { elementCount, metadataShape, shapeMatches, type Tensor } from './tensor';

/** A Triton request parameter: string, int, bool or double. */
export type ParameterValue = string | number | boolean;

/** What a frontend hands to the model. */
export interface InferenceRequest {
  /** The request id; echoed back in responses when non-empty. */
  id?: string;
  /** Inputs in the order the client gave them. */
  inputs: Map<string, Tensor>;
  parameters: Record<string, ParameterValue>;
}

/**
 * Core's `ValidateRequestInputs`: the input count against the required and
 * total counts (only the count, as core does — so a request can leave out a
 * required input when it sends enough optional ones), then each input's
 * name, datatype and shape.
 */
export function validateInputs(model: ModelDefinition, request: InferenceRequest): void {
  const required = model.inputs.filter(spec => !spec.optional);
  const given = [...request.inputs.keys()];
  if (given.length < required.length || given.length > model.inputs.length) {
    throw inputCountMismatch({
      model: model.name,
      requestId: request.id,
      required: required.length,
      total: model.inputs.length,
      given: [...given].sort(),
      missing: required.map(spec => spec.name).filter(name => !request.inputs.has(name)),
    });
  }
  for (const input of request.inputs.values()) {
    const spec = model.inputs.find(s => s.name === input.name);
    if (!spec) {
      throw unexpectedInput({ model: model.name, input: input.name, requestId: request.id });
    }
    if (spec.datatype !== input.datatype) {
      throw datatypeMismatch({
        model: model.name,
        input: input.name,
        expected: spec.datatype,
        got: input.datatype,
        requestId: request.id,
      });
    }
    const expected = metadataShape(spec, model.maxBatchSize);
    if (!shapeMatches(expected, input.shape)) {
      throw unexpectedShape({
        model: model.name,
        input: input.name,
        expected,
        got: input.shape,
        requestId: request.id,
      });
    }
    checkPayload(model.name, input, request.id);
  }
}

/** Core's last per-input check: the data fills the shape exactly. */
function checkPayload(model: string, input: Tensor, requestId: string | undefined): void {
  const expected = elementCount(input.shape);
  const where = { model, input: input.name, requestId };
  if (input.datatype === 'BYTES') {
    if (input.data.length !== expected) {
      throw stringElementCount({ ...where, expected, got: input.data.length });
    }
    return;
  }
  if (input.byteSize !== undefined) {
    const size = ELEMENT_BYTE_SIZE[input.datatype];
    throw byteSizeMismatch({ ...where, expected: expected * size, got: input.byteSize });
  }
}
