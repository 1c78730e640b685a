/** Starting and stopping the server processes a benchmark measures. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { pinnedCommand } from './placement.mjs';

/**
 * Spawns `node <args>` (pinned to `cpu` when pinning is on). Output goes to
 * the parent's stderr only when `BENCH_VERBOSE=1`, except the last lines of
 * stderr, kept for error messages.
 */
export function spawnNode({ name, args, cpu, env, cwd }) {
  const { command, args: argv } = pinnedCommand(cpu, process.execPath, args);
  const child = spawn(command, argv, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const verbose = process.env.BENCH_VERBOSE === '1';
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', text => {
    tail = (tail + text).slice(-2000);
    if (verbose) process.stderr.write(`[${name}] ${text}`);
  });
  // Drain stdout so a chatty server never blocks on a full pipe.
  child.stdout.setEncoding('utf8');
  if (verbose) child.stdout.on('data', text => process.stderr.write(`[${name}] ${text}`));
  else child.stdout.resume();
  child.stderrTail = () => tail;
  child.label = name;
  return child;
}

/** Resolves with the first stdout line of `child` that parses as JSON; rejects on exit or timeout. */
export function firstJsonLine(child, { timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = text => {
      buffer += text;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const value = JSON.parse(line);
          finish();
          resolve(value);
          return;
        } catch {
          // not our line; keep reading
        }
      }
    };
    const onExit = code => {
      finish();
      reject(
        new Error(`${child.label} exited (${code}) before it was ready: ${child.stderrTail()}`),
      );
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${child.label} printed no ready line within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A free loopback port (bound and released; good enough for a child that binds it next). */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Polls `check()` (a promise of a boolean) every 100 ms until it says yes,
 * the child exits, or `timeoutMs` passes. Used for servers whose only sign
 * of readiness is answering a request.
 */
export async function waitUntil(child, check, { timeoutMs = 30_000, what } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${child.label} exited before it was ready: ${child.stderrTail()}`);
    }
    if (await check().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(
    `${child.label} was not ready (${what}) within ${timeoutMs} ms: ${child.stderrTail()}`,
  );
}

/** One request with a short timeout; resolves with the status, headers and body text. */
export function httpOnce({ url, method = 'GET', headers = {}, body, timeoutMs = 2000 }) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: timeoutMs }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child, { graceMs = 5000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
