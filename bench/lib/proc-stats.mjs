/** Memory and CPU of a process, read from Linux /proc (absent elsewhere: figures are undefined). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100; // the Linux default when getconf is missing
    }
  }
  return ticksPerSecond;
}

/** VmRSS of `pid` in MB (10^6 bytes), or undefined when /proc cannot be read. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? (Number(match[1]) * 1024) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Private memory of `pid` in MB from `/proc/<pid>/smaps_rollup`: USS (pages
 * only this process maps: Private_Clean + Private_Dirty) and PSS (private
 * plus its share of shared pages). RSS counts the node binary's file pages
 * every node process shares; these do not. Undefined fields when the file
 * cannot be read (not Linux, or another user's process).
 */
export function privateMemoryMb(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = name =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    const toMb = value => (Number.isNaN(value) ? undefined : (value * 1024) / 1e6);
    return {
      pssMb: toMb(kb('Pss')),
      ussMb: toMb(kb('Private_Clean') + kb('Private_Dirty')),
    };
  } catch {
    return { pssMb: undefined, ussMb: undefined };
  }
}

/** User + system CPU seconds `pid` has used so far, or undefined. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * Follows a process over one measurement: CPU share of one core, and RSS,
 * PSS and USS sampled every `everyMs` (max, and RSS last).
 */
export function watchProcess(pid, { everyMs = 500 } = {}) {
  if (pid === undefined) return { stop: () => ({}) };
  const startCpu = cpuSeconds(pid);
  const startAt = performance.now();
  const peak = { rss: undefined, pss: undefined, uss: undefined };
  const raise = (key, value) => {
    if (value !== undefined && !(value <= peak[key])) peak[key] = value;
  };
  const sample = () => {
    raise('rss', rssMb(pid));
    const { pssMb, ussMb } = privateMemoryMb(pid);
    raise('pss', pssMb);
    raise('uss', ussMb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const endCpu = cpuSeconds(pid);
      const wall = (performance.now() - startAt) / 1000;
      const rss = rssMb(pid);
      sample();
      return {
        cpuPercent:
          startCpu === undefined || endCpu === undefined
            ? undefined
            : ((endCpu - startCpu) / wall) * 100,
        cpuSeconds: startCpu === undefined || endCpu === undefined ? undefined : endCpu - startCpu,
        rssMb: rss,
        maxRssMb: peak.rss,
        maxPssMb: peak.pss,
        maxUssMb: peak.uss,
      };
    },
  };
}
