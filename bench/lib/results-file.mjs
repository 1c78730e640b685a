/** Writing a run's figures as JSON into the git-ignored bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, ROOT } from './paths.mjs';

/** What the machine was, for the record. */
export function machineInfo() {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: list.length,
    cpuModel: list[0]?.model,
    memoryGB: Math.round(totalmem() / 1e9),
    // Other jobs on a shared VM skew every figure; the load average says how busy it was.
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

/** Writes `data` to bench/results/<name>-<timestamp>.json and returns the path relative to the repo. */
export function writeResults(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(RESULTS_DIR, `${name}-${stamp}.json`);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path.slice(ROOT.length + 1);
}
