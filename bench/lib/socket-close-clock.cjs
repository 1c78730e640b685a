/**
 * Preloaded into a gateway by a benchmark (`node --require`): the gateway's
 * own clock for a close storm. It records, inside the gateway process, the
 * wall-clock time (ms) each accepted client socket reads its end (the
 * client's FIN) and closes, and each socket it
 * opened to the upstream port (SWITCHYARD_BENCH_UPSTREAM_PORT) closes, and
 * rewrites them as one JSON object to SWITCHYARD_BENCH_CLOSE_FILE at most
 * twice a second while new closes arrive. A bench reads that file to split
 * "the clients left -> the upstream saw every stream cancelled" into the
 * gateway's part (first client socket closed -> last upstream socket closed)
 * and the upstream's part, without trusting another process's polling.
 *
 * Cheap by design: Node's `net.server.socket` / `net.client.socket`
 * diagnostics channels fire once per socket (never per chunk), and a close
 * costs two array pushes and a `process.cpuUsage()` (a microsecond or two).
 */
const dc = require('node:diagnostics_channel');
const { writeFileSync } = require('node:fs');

const file = process.env.SWITCHYARD_BENCH_CLOSE_FILE;
const upstreamPort = Number(process.env.SWITCHYARD_BENCH_UPSTREAM_PORT);
if (file && upstreamPort > 0) {
  // upstreamOpened: a gateway that connects anew while its clients leave shows here.
  // Each *Cpu array holds the process's CPU time (ms) at the same index's event: a
  // bench can tell the CPU a storm cost from the wall-clock time a busy machine stretched.
  const closes = {
    clientEnd: [],
    clientEndCpu: [],
    client: [],
    clientCpu: [],
    upstream: [],
    upstreamCpu: [],
    upstreamOpened: [],
  };
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let written = 0;
  dc.subscribe('net.server.socket', ({ socket }) => {
    socket.once('end', () => {
      closes.clientEnd.push(Date.now());
      closes.clientEndCpu.push(cpuMs());
    });
    socket.once('close', () => {
      closes.client.push(Date.now());
      closes.clientCpu.push(cpuMs());
    });
  });
  dc.subscribe('net.client.socket', ({ socket }) => {
    // The port is known only once connected; Postgres, Redis or an exporter are not counted.
    socket.once('connect', () => {
      if (socket.remotePort !== upstreamPort) return;
      closes.upstreamOpened.push(Date.now());
      socket.once('close', () => {
        closes.upstream.push(Date.now());
        closes.upstreamCpu.push(cpuMs());
      });
    });
  });
  setInterval(() => {
    const total =
      closes.clientEnd.length +
      closes.client.length +
      closes.upstream.length +
      closes.upstreamOpened.length;
    if (total === written) return;
    written = total;
    writeFileSync(file, JSON.stringify(closes));
  }, 500).unref();
}
