/**
 * Preloaded into a gateway by a benchmark (`node --require`): appends the
 * process's V8 heap figures as one JSON line a second to the file named by
 * SWITCHYARD_BENCH_HEAP_FILE, so a bench can split the gateway's RSS into
 * JavaScript heap and everything else without a heap snapshot (which would
 * itself allocate hundreds of MB and skew the RSS it explains). One
 * `getHeapStatistics` call a second costs microseconds.
 */
const { appendFileSync } = require('node:fs');
const { getHeapStatistics } = require('node:v8');

const file = process.env.SWITCHYARD_BENCH_HEAP_FILE;
if (file) {
  setInterval(() => {
    const h = getHeapStatistics();
    const line = {
      at: Date.now(),
      usedMb: h.used_heap_size / 1e6,
      totalMb: h.total_heap_size / 1e6,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
