#!/usr/bin/env node
/**
 * Where a process's CPU time went, from a `node --cpu-prof` profile: self
 * time per function (top N) and per package/folder, as Markdown.
 *
 *   node bench/lib/cpu-profile-summary.mjs bench/results/profiles/CPU.<...>.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, markdownTable } from './markdown.mjs';

/** Groups a script URL: the npm package, our package, or a Node built-in. */
function area(url) {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  if (ours) return `@switchyard/${ours[2]}`;
  return url.split('/').slice(-2).join('/');
}

/** Self time per function and per area, in ms and percent of samples. */
export function summarizeProfile(profile, top = 20) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  });
  // Idle samples are the process waiting for I/O: report them apart, not as work.
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    if (byId.get(id).callFrame.functionName === '(idle)') {
      idleUs += us;
      selfUs.delete(id);
    }
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map();
  const areas = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url
      ? `${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`
      : '';
    const key = `${name} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
    const group = area(callFrame.url);
    areas.set(group, (areas.get(group) ?? 0) + us);
  }
  const rank = map =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: us / 1000, percent: (us / total) * 100 }));
  return {
    totalMs: total / 1000,
    idleMs: idleUs / 1000,
    functions: rank(functions).slice(0, top),
    areas: rank(areas).slice(0, top),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpu-profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(topArg ?? 20));
  const table = rows =>
    markdownTable(
      ['', 'self ms', '%'],
      rows.map(r => [r.name, fmt(r.ms), fmt(r.percent, 1)]),
    );
  process.stdout.write(
    `Busy: ${fmt(summary.totalMs)} ms sampled (idle ${fmt(summary.idleMs)} ms, not counted)\n\nBy area:\n\n${table(summary.areas)}\n\nBy function:\n\n${table(summary.functions)}\n`,
  );
}
