import type { Router } from '@switchyard/router';
import { defaultPriceOf, type TokenPrice } from './price-table';

/** Where a cost came from; `unknown` means the model has no price and the cost is 0. */
export type CostSource = 'model_info' | 'default_table' | 'unknown';

/** A deployment's price and where it came from. */
export interface PricedDeployment {
  price: TokenPrice | undefined;
  source: CostSource;
}

/** Token counts as the upstream reported them. */
export interface TokenUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
}

/**
 * Prices of every deployment by id, built once at start-up from
 * `model_info` (either field may be given; a missing one counts 0), else
 * the bundled table, else unknown.
 */
export class PriceBook {
  readonly #byDeployment = new Map<string, PricedDeployment>();
  /** The dearest price in each model group, for estimates before routing picks a deployment. */
  readonly #groupMax = new Map<string, TokenPrice>();

  constructor(router: Router) {
    for (const group of router.modelGroups()) {
      const info = router.modelGroup(group);
      for (const d of info?.deployments ?? []) {
        const mi = d.modelInfo as {
          input_cost_per_token?: unknown;
          output_cost_per_token?: unknown;
        };
        const input =
          typeof mi.input_cost_per_token === 'number' ? mi.input_cost_per_token : undefined;
        const output =
          typeof mi.output_cost_per_token === 'number' ? mi.output_cost_per_token : undefined;
        let priced: PricedDeployment;
        if (input !== undefined || output !== undefined) {
          priced = {
            price: { input_cost_per_token: input ?? 0, output_cost_per_token: output ?? 0 },
            source: 'model_info',
          };
        } else {
          const price = defaultPriceOf(d.model);
          priced = price
            ? { price, source: 'default_table' }
            : { price: undefined, source: 'unknown' };
        }
        this.#byDeployment.set(d.id, priced);
        if (priced.price) {
          const max = this.#groupMax.get(group);
          this.#groupMax.set(group, {
            input_cost_per_token: Math.max(
              max?.input_cost_per_token ?? 0,
              priced.price.input_cost_per_token,
            ),
            output_cost_per_token: Math.max(
              max?.output_cost_per_token ?? 0,
              priced.price.output_cost_per_token,
            ),
          });
        }
      }
    }
  }

  /** The cost of one answered request; 0 with `unknown` when no price is known. */
  cost(
    deploymentId: string | undefined,
    usage: TokenUsage | null | undefined,
  ): { cost: number; source: CostSource } {
    const priced = deploymentId === undefined ? undefined : this.#byDeployment.get(deploymentId);
    if (!priced?.price) return { cost: 0, source: 'unknown' };
    const p = priced.price;
    const cost =
      (usage?.prompt_tokens ?? 0) * p.input_cost_per_token +
      (usage?.completion_tokens ?? 0) * p.output_cost_per_token;
    return { cost, source: priced.source };
  }

  /**
   * An upper estimate before the call: the group's dearest deployment, the
   * estimated prompt and the most it may generate. Reserved against budgets
   * so concurrent requests cannot all slip under the same remaining budget.
   */
  estimate(group: string, promptTokens: number, maxOutputTokens: number): number {
    const p = this.#groupMax.get(group);
    if (!p) return 0;
    return promptTokens * p.input_cost_per_token + maxOutputTokens * p.output_cost_per_token;
  }
}
