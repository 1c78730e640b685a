/**
 * Preloaded into a measured server (`node --import <this> …`): watches its
 * main event loop with `perf_hooks.monitorEventLoopDelay` from the first
 * tick after this module is loaded (the program's own modules load after
 * it, over several ticks). On SIGUSR2 it writes the worst delay since the
 * previous signal (ms) and the RSS, as one JSON line, to the file named by
 * `LOOP_DELAY_FILE`, then starts a new period.
 *
 * With `LOOP_DELAY_LISTEN_FILE` set, the first server to start listening
 * ends a period of its own: the worst delay from the first tick up to
 * `listening` (loading the program, reading its config, building what it
 * serves) is written there, and the next SIGUSR2 period starts at
 * `listening`, so start-up is seen before and after the port opens.
 */
import { appendFileSync } from 'node:fs';
import { Server } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LOOP_DELAY_FILE;
const listenFile = process.env.LOOP_DELAY_LISTEN_FILE;
const histogram = monitorEventLoopDelay({ resolution: 5 });
setImmediate(() => {
  histogram.reset();
  histogram.enable();
});

/** The period's figures, then a new period. */
function endPeriod(to) {
  const line = {
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
  };
  histogram.reset();
  if (to) appendFileSync(to, `${JSON.stringify(line)}\n`);
}

process.on('SIGUSR2', () => endPeriod(file));

if (listenFile) {
  const listen = Server.prototype.listen;
  let seen = false;
  Server.prototype.listen = function (...args) {
    if (!seen) {
      seen = true;
      this.once('listening', () => endPeriod(listenFile));
    }
    return listen.apply(this, args);
  };
}
