/**
 * The floor any Node gateway stands on: node:http in, a keep-alive
 * http.Agent out, the body parsed and re-serialised (as every gateway must,
 * to route on `model`), and the upstream response piped back unbuffered
 * (streams pass chunk by chunk). No framework, no fetch, no logging.
 *
 * As a process: `node bench/lib/minimal-proxy.mjs --target http://127.0.0.1:8000 [--port 0]`
 * prints `{"url":…}` once listening and runs until SIGTERM/SIGINT.
 */

import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Hop-by-hop headers (RFC 9110 §7.6.1) are per connection: never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function sendError(res, status, message) {
  const body = JSON.stringify({ error: { message, type: 'proxy_error' } });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Starts the pass-through proxy in this process.
 * @param {{ target: string, port?: number, host?: string }} options upstream base URL (no path)
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startMinimalProxy({ target, port = 0, host = '127.0.0.1' }) {
  const upstream = new URL(target);
  // No cap on upstream sockets: a cap would queue streams held open past it
  // (open-streams.mjs holds thousands), and a floor must not add a limit.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      let body;
      try {
        body = chunks.length === 0 ? undefined : JSON.stringify(JSON.parse(Buffer.concat(chunks)));
      } catch {
        sendError(res, 400, 'request body is not valid JSON');
        return;
      }
      const headers = endToEnd(req.headers);
      headers.host = upstream.host;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const out = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers,
          agent,
        },
        upstreamRes => {
          res.writeHead(upstreamRes.statusCode ?? 502, endToEnd(upstreamRes.headers));
          upstreamRes.pipe(res);
        },
      );
      out.on('socket', socket => socket.setNoDelay(true));
      out.on('error', error => {
        if (!res.headersSent) sendError(res, 502, `upstream: ${error.message}`);
        else res.destroy(error);
      });
      // A client that hangs up mid-answer cancels the upstream call too.
      res.on('close', () => {
        if (!res.writableFinished) out.destroy();
      });
      out.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
      await once(server, 'close');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { target: { type: 'string' }, port: { type: 'string', default: '0' } },
  });
  if (!values.target) {
    process.stderr.write('usage: minimal-proxy.mjs --target http://HOST:PORT [--port N]\n');
    process.exit(2);
  }
  const proxy = await startMinimalProxy({ target: values.target, port: Number(values.port) });
  process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
  const shutdown = async () => {
    await proxy.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
