import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { type NodeFlagSources, operatorSetNodeFlag } from './operator-node-flags';

/**
 * The semi-space size (MiB) the CLI keeps V8's young generation under. V8's
 * default lets each of the two semi-spaces grow to 16 MiB under sustained
 * load (32 MiB resident); at 8 MiB the proxy measured 16-50 MB less resident
 * memory at 64 connections, streaming and not, at a CPU per request within
 * ±5% (bench/README.md, session 7). A bare node:http pass-through stays
 * at 8 MiB under the same load by itself.
 */
export const DEFAULT_SEMI_SPACE_CAP_MIB = 8;

const MIB = 1024 * 1024;
/** V8's `--semi-space-growth-factor` default: each growth doubles the semi-spaces. */
const V8_GROWTH_FACTOR = 2;
/** Node flags with which the operator sized the young generation: theirs wins. */
const OPERATOR_FLAG = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** Options of {@link capYoungGeneration}; the defaults read this process. */
export interface YoungGenerationCapOptions extends NodeFlagSources {
  /** Largest semi-space in MiB; default {@link DEFAULT_SEMI_SPACE_CAP_MIB}. */
  semiSpaceMib?: number;
}

/** A cap in force, or `active: false` when the operator sized the young generation. */
export interface YoungGenerationCap {
  active: boolean;
  /** Stops watching and lets V8 grow the young generation again. */
  stop(): void;
}

function newSpaceBytes(): number | undefined {
  return getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size;
}

/**
 * Keeps V8's young generation at or under `semiSpaceMib` semi-spaces for
 * the rest of the process.
 *
 * `--max-semi-space-size` only counts when Node starts (setting it later
 * does nothing), and `switchyard` is started by `node` or a package
 * manager's shim, where no flag of ours can be added. What V8 does read at
 * run time is `--semi-space-growth-factor`, each time it grows the young
 * generation: after every collection this sets it to 1 (no growth) while
 * one more doubling would pass the cap, and back to V8's 2 when the young
 * generation is small enough again (V8 shrinks it when the process idles).
 * Any semi-space flag of the operator's (in `NODE_OPTIONS` or on `node`'s
 * command line) turns this off.
 */
export function capYoungGeneration(options: YoungGenerationCapOptions = {}): YoungGenerationCap {
  if (operatorSetNodeFlag(OPERATOR_FLAG, options)) return { active: false, stop: () => {} };
  // The new space's size counts both semi-spaces.
  const capBytes = 2 * (options.semiSpaceMib ?? DEFAULT_SEMI_SPACE_CAP_MIB) * MIB;
  let growing = true;
  const adjust = () => {
    const size = newSpaceBytes();
    if (size === undefined) return;
    const grow = size * V8_GROWTH_FACTOR <= capBytes;
    if (grow === growing) return;
    growing = grow;
    setFlagsFromString(`--semi-space-growth-factor=${grow ? V8_GROWTH_FACTOR : 1}`);
  };
  adjust();
  // Entries arrive after each collection, long before the next growth: V8
  // grows only once as many bytes as the young generation holds survived.
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  return {
    active: true,
    stop() {
      observer.disconnect();
      if (!growing) setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
      growing = true;
    },
  };
}
