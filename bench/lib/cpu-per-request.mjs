/**
 * A gateway's CPU cost per request under load: autocannon against one
 * URL, the gateway process's CPU seconds read from /proc before and after.
 * CPU per answered request is what a gateway costs whatever else the
 * machine runs, where its RPS on a shared machine is set by the others.
 * Used by api-shapes-overhead (one gateway, three APIs) and gateway-cpu
 * (the pass-through and Switchyard builds, one API). With `overallRate`
 * every target gets the same offered load, so CPU per request is not
 * moved by how fast a busy machine let each one run (a gateway answering
 * faster handles more events per wake-up and costs less per request).
 */
import { runAutocannon } from './autocannon-load.mjs';
import { cpuSeconds } from './proc-stats.mjs';

/**
 * One measurement: `{ rps, cpuUs }` (µs of the gateway's CPU per answered
 * request). Any non-2xx answer or socket error fails the run: a figure
 * over failed requests would flatter the gateway.
 */
export async function cpuPerRequest({
  label,
  pid,
  url,
  headers,
  body,
  connections,
  durationS,
  overallRate,
}) {
  const before = cpuSeconds(pid);
  const load = await runAutocannon({ url, headers, body, connections, durationS, overallRate });
  const cpu = cpuSeconds(pid) - before;
  if (load.non2xx > 0 || load.errors > 0)
    throw new Error(
      `${label}: ${load.non2xx} non-2xx answers, ${load.errors} errors (${load.timeouts} timeouts)`,
    );
  return { rps: load.rps, cpuUs: (cpu * 1e6) / load.ok };
}

/** Two seconds of the same load, unmeasured, so JIT and connection pools are ready. */
export async function warmUp({ url, headers, body, connections }) {
  await runAutocannon({ url, headers, body, connections, durationS: 2 });
}
