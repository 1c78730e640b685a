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
 * Follows a process over one measurement: CPU share of one core, and RSS
 * sampled every `everyMs` (max and last).
 */
export function watchProcess(pid, { everyMs = 500 } = {}) {
  if (pid === undefined) return { stop: () => ({}) };
  const startCpu = cpuSeconds(pid);
  const startAt = performance.now();
  let maxRss = rssMb(pid);
  const timer = setInterval(() => {
    const rss = rssMb(pid);
    if (rss !== undefined && !(rss <= maxRss)) maxRss = rss;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const endCpu = cpuSeconds(pid);
      const wall = (performance.now() - startAt) / 1000;
      const rss = rssMb(pid);
      if (rss !== undefined && !(rss <= maxRss)) maxRss = rss;
      return {
        cpuPercent:
          startCpu === undefined || endCpu === undefined
            ? undefined
            : ((endCpu - startCpu) / wall) * 100,
        rssMb: rss,
        maxRssMb: maxRss,
      };
    },
  };
}
