/**
 * The models an emulator serves, their readiness and their counters, and
 * the lookups Triton's model repository manager answers (with its errors).
 */
import { noAvailableVersions, unknownModel, unknownModelVersion } from './error-messages';
import { defineModel, type ModelDefinition } from './model-definition';
import { ModelMetrics } from './model-metrics';
import type { TritonModelOptions } from './model-options';

/** One served model. */
export interface ServedModel {
  definition: ModelDefinition;
  options: TritonModelOptions;
  ready: boolean;
  metrics: ModelMetrics;
}

/** The emulator's model repository. */
export class ModelRegistry {
  readonly models: ServedModel[];

  constructor(options: TritonModelOptions[]) {
    const seen = new Set<string>();
    this.models = options.map(model => {
      if (typeof model.name !== 'string' || model.name.length === 0 || model.name.includes('/')) {
        throw new TypeError(
          `model name must be a non-empty string without "/", got ${JSON.stringify(model.name)}`,
        );
      }
      if (seen.has(model.name)) throw new TypeError(`model "${model.name}" is listed twice`);
      seen.add(model.name);
      if (model.version !== undefined && !/^[0-9]+$/.test(model.version)) {
        throw new TypeError(
          `model "${model.name}": version must be numeric, got "${model.version}"`,
        );
      }
      return {
        definition: defineModel(model),
        options: model,
        ready: model.ready ?? true,
        metrics: new ModelMetrics(),
      };
    });
  }

  /** The model by name, or undefined. */
  find(name: string): ServedModel | undefined {
    return this.models.find(m => m.definition.name === name);
  }

  /** Model + version as metadata and ready routes resolve them (ready or not). */
  resolve(name: string, version: string | undefined): ServedModel {
    const model = this.find(name);
    if (!model) throw unknownModel(name);
    if (version !== undefined && version !== model.definition.version) {
      throw unknownModelVersion(name, version);
    }
    return model;
  }

  /** Model + version for inference: it must also be ready. */
  resolveForInference(name: string, version: string | undefined): ServedModel {
    const model = this.resolve(name, version);
    if (!model.ready) throw noAvailableVersions(name);
    return model;
  }
}
