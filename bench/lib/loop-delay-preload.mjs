/**
 * Preloaded into a measured server (`node --import <this> …`): watches its
 * main event loop with `perf_hooks.monitorEventLoopDelay` from the first
 * tick after the program's modules are loaded. On SIGUSR2 it writes the
 * worst delay since the previous signal (ms) and the RSS, as one JSON line,
 * to the file named by `LOOP_DELAY_FILE`, then starts a new period.
 * Module loading itself (synchronous, before the first tick) is no period.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LOOP_DELAY_FILE;
const histogram = monitorEventLoopDelay({ resolution: 5 });
setImmediate(() => {
  histogram.reset();
  histogram.enable();
});
process.on('SIGUSR2', () => {
  const line = {
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
  };
  histogram.reset();
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
});
