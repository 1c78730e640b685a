import { setFlagsFromString } from 'node:v8';
import { type NodeFlagSources, operatorSetNodeFlag } from './operator-node-flags';

/**
 * How far (percent of what is live) V8 lets the old generation grow before
 * its next full collection, as the CLI sets it. V8's own factor runs up to
 * 4x on any machine where the heap may reach 2 GB, and the first one, set by
 * the full collection during start-up before there is any figure of the
 * program's speed, is always that 4x: 59 MB of old space allowed for 13 MB
 * live. Under load the objects of requests in flight that outlive two
 * young collections fill it (43 MB of old space at 64 connections, most of
 * it garbage); at 50% the proxy peaked about 15 MB lower. V8 never grows it
 * by less than 8 MB plus the young generation's size, whatever the factor.
 */
export const DEFAULT_OLD_GENERATION_GROWTH_PERCENT = 50;

/** A Node flag with which the operator chose the growth: theirs wins. */
const OPERATOR_FLAG = /--heap[-_]growing[-_]percent/;

/** Options of {@link limitOldGenerationGrowth}; the defaults read this process. */
export interface OldGenerationGrowthOptions extends NodeFlagSources {
  /** Growth in percent of the live old generation; default {@link DEFAULT_OLD_GENERATION_GROWTH_PERCENT}. */
  percent?: number;
}

/**
 * Sets V8's `--heap-growing-percent` for the rest of the process, unless the
 * operator set it on `node`'s command line or in `NODE_OPTIONS`. V8 reads it
 * each time it sets the next full collection's limit, so it must be set
 * before the collection that start-up itself triggers while the modules
 * load: the CLI's entry sets it before it imports anything else.
 * Returns whether it was set.
 */
export function limitOldGenerationGrowth(options: OldGenerationGrowthOptions = {}): boolean {
  if (operatorSetNodeFlag(OPERATOR_FLAG, options)) return false;
  const percent = options.percent ?? DEFAULT_OLD_GENERATION_GROWTH_PERCENT;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
