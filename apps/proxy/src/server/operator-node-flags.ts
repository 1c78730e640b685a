/** Where an operator's own Node flags are read from; the defaults read this process. */
export interface NodeFlagSources {
  /** Node's own flags (default `process.execArgv`). */
  execArgv?: readonly string[];
  /** `NODE_OPTIONS` (default the environment's). */
  nodeOptions?: string;
}

/**
 * Whether the operator started Node with a flag matching `flag`, on
 * `node`'s command line or in `NODE_OPTIONS`: a V8 setting the CLI tunes at
 * run time then stays as the operator chose it.
 */
export function operatorSetNodeFlag(flag: RegExp, sources: NodeFlagSources = {}): boolean {
  const execArgv = sources.execArgv ?? process.execArgv;
  const nodeOptions = sources.nodeOptions ?? process.env.NODE_OPTIONS ?? '';
  return execArgv.some(arg => flag.test(arg)) || flag.test(nodeOptions);
}
