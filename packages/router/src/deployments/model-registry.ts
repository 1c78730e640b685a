import { BadRequestError } from '@switchyard/core';
import type { Deployment } from './deployment';

/** The deployments a request may be routed to. */
export interface ModelGroup {
  /** The group's public name (`model_name`). */
  readonly name: string;
  readonly deployments: readonly Deployment[];
  /** True when the request named one deployment by id: cooldowns do not apply. */
  readonly direct: boolean;
  /** True when any deployment has an rpm or tpm limit (usage must then be read). */
  readonly hasLimits: boolean;
}

/** An alias target: `{"gpt-4": "gpt-4o"}` or `{"GPT-4": {"model": "gpt-4o", "hidden": true}}`. */
export type ModelGroupAlias = string | { model: string; hidden?: boolean };

/**
 * Model groups by name, deployments by id, and aliases. Resolves what a
 * client sent as `model` the way LiteLLM does: alias, then group name, then
 * deployment id (that one deployment, bypassing cooldowns), then deployments
 * whose `litellm_params.model` is exactly the name.
 */
export class ModelRegistry {
  readonly #groups = new Map<string, ModelGroup>();
  readonly #byId = new Map<string, Deployment>();
  readonly #byModel = new Map<string, ModelGroup>();
  readonly #aliases = new Map<string, { model: string; hidden: boolean }>();

  constructor(
    deployments: readonly Deployment[],
    aliases: Readonly<Record<string, ModelGroupAlias>>,
  ) {
    const grouped = new Map<string, Deployment[]>();
    const byModel = new Map<string, Deployment[]>();
    deployments.forEach((d, i) => {
      const clash = this.#byId.get(d.id);
      if (clash) {
        throw new BadRequestError({
          message: `Invalid router setting model_list[${i}]: deployment id ${d.id} is already used by another deployment of ${clash.modelName} (identical entries need distinct model_info.id)`,
          param: `model_list[${i}]`,
        });
      }
      this.#byId.set(d.id, d);
      push(grouped, d.modelName, d);
      push(byModel, d.model, d);
    });
    for (const [name, list] of grouped) this.#groups.set(name, group(name, list, false));
    for (const [name, list] of byModel)
      this.#byModel.set(name, group(list[0]!.modelName, list, false));
    for (const [alias, target] of Object.entries(aliases)) {
      const model = typeof target === 'string' ? target : target?.model;
      if (typeof model !== 'string' || model === '') {
        throw new BadRequestError({
          message: `Invalid router setting model_group_alias.${alias}: expected a model group name or {"model": …, "hidden"?: boolean}`,
          param: `model_group_alias.${alias}`,
        });
      }
      this.#aliases.set(alias, {
        model,
        hidden: typeof target === 'object' && target.hidden === true,
      });
    }
  }

  /** The group for a requested model name, or undefined when nothing matches. */
  find(model: string): ModelGroup | undefined {
    const name = this.#aliases.get(model)?.model ?? model;
    const found = this.#groups.get(name);
    if (found) return found;
    const byId = this.#byId.get(name);
    if (byId) return group(byId.modelName, [byId], true);
    return this.#byModel.get(name);
  }

  /** Like {@link find}, but an unknown name is a BadRequestError listing the groups. */
  resolve(model: string): ModelGroup {
    const found = this.find(model);
    if (found) return found;
    throw new BadRequestError({
      message: `There is no 'model_name' with this string: ${JSON.stringify(model)}. Available model groups: ${this.modelGroupNames().join(', ') || '(none)'}`,
      param: 'model',
      model,
    });
  }

  /** How many deployments the named group has (0 when unknown). */
  groupSize(name: string): number {
    return this.#groups.get(name)?.deployments.length ?? 0;
  }

  deployment(id: string): Deployment | undefined {
    return this.#byId.get(id);
  }

  deployments(): Deployment[] {
    return [...this.#byId.values()];
  }

  /** Public names: every group plus aliases not marked hidden. */
  modelGroupNames(): string[] {
    const names = [...this.#groups.keys()];
    for (const [alias, target] of this.#aliases) if (!target.hidden) names.push(alias);
    return names;
  }
}

function push(map: Map<string, Deployment[]>, key: string, d: Deployment): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

function group(name: string, deployments: Deployment[], direct: boolean): ModelGroup {
  return {
    name,
    deployments,
    direct,
    hasLimits: deployments.some(d => d.rpm !== undefined || d.tpm !== undefined),
  };
}
