/**
 * The things a proxy benchmark sends its requests to: the emulator itself
 * ("direct"), the minimal pass-through, Switchyard and Portkey. Each is a
 * process of its own; gateways run on the gateway CPU, the emulator on the
 * load CPU (see placement.mjs).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chatBody, MODEL } from './chat-request.mjs';
import {
  firstJsonLine,
  freePort,
  httpOnce,
  spawnNode,
  stopChild,
  waitUntil,
} from './child-server.mjs';
import { BENCH_DIR, DIST, RESULTS_DIR, ROOT, requireBuilt } from './paths.mjs';
import { GATEWAY_CPU, LOAD_CPU } from './placement.mjs';
import { ensurePortkeyInstalled, portkeyHeaders } from './portkey.mjs';
import { writeSwitchyardConfig } from './switchyard-config.mjs';

/** Every target, in table order. */
export const ALL_TARGETS = ['direct', 'minimal', 'switchyard', 'portkey'];
/**
 * Another build of Switchyard beside the first, for an A/B in one run:
 * `SWITCHYARD_B_CLI` names its built `apps/proxy/dist/cli.js` (a copy of
 * `dist/` kept beside the current one, or another checkout's).
 */
export const B_TARGET = 'switchyard-b';

/** Human names for tables. */
export const TARGET_LABELS = {
  direct: 'direct (emulator)',
  minimal: 'minimal pass-through',
  switchyard: 'Switchyard',
  [B_TARGET]: 'Switchyard (B build)',
  portkey: 'Portkey 1.15.2',
};

/**
 * Starts the vLLM emulator process (scripted text; zero latency unless
 * `tokensPerSecond` paces the tokens after the first).
 */
export async function startEmulator({ tokensPerSecond, abortLog } = {}) {
  requireBuilt(DIST.testing, '@switchyard/testing');
  const pace = tokensPerSecond ? ['--tokens-per-second', String(tokensPerSecond)] : [];
  const aborts = abortLog ? ['--abort-log', abortLog] : [];
  const child = spawnNode({
    name: 'emulator',
    args: [join(BENCH_DIR, 'lib/emulator-main.mjs'), ...pace, ...aborts],
    cpu: LOAD_CPU,
  });
  const ready = await firstJsonLine(child).catch(async error => {
    await stopChild(child);
    throw error;
  });
  return { ...ready, pid: child.pid, stop: () => stopChild(child) };
}

/** Whether Switchyard's CLI is built (the proxy may land later than the bench). */
export function switchyardBuilt() {
  return existsSync(DIST.proxyCli);
}

/** Answers true once `target` serves a non-streaming chat completion with 200. */
function servesChat(target, maxTokens) {
  return async () => {
    const body = chatBody({ stream: false, maxTokens });
    const reply = await httpOnce({
      url: target.chatUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body,
    });
    return reply.status === 200;
  };
}

/**
 * Starts one target in front of `emulator` and waits until it serves chat.
 * `cpuProfileDir` (Switchyard only) runs it under `node --cpu-prof`; `env`
 * (Switchyard and minimal) adds environment variables (`DISABLE_ADMIN_UI`, …).
 * `readyMaxTokens` sizes the readiness request (1 for a paced emulator, so
 * it does not wait out a whole answer).
 */
export async function startTarget(name, { emulator, cpuProfileDir, env, readyMaxTokens }) {
  const headers = { authorization: 'Bearer sk-bench' };
  if (name === 'direct') {
    return {
      name,
      chatUrl: `${emulator.url}/v1/chat/completions`,
      headers,
      pid: undefined,
      stop: async () => {},
    };
  }
  let child;
  let url;
  let config;
  if (name === 'minimal') {
    child = spawnNode({
      name,
      args: [join(BENCH_DIR, 'lib/minimal-proxy.mjs'), '--target', emulator.url],
      cpu: GATEWAY_CPU,
      env,
    });
    ({ url } = await firstJsonLine(child));
  } else if (name === 'switchyard' || name === B_TARGET) {
    const cli = name === B_TARGET ? process.env.SWITCHYARD_B_CLI : DIST.proxyCli;
    if (!cli) throw new Error(`${B_TARGET}: set SWITCHYARD_B_CLI to the other build's dist/cli.js`);
    requireBuilt(cli, '@switchyard/proxy');
    // ROUTER_TIMEOUT (seconds): a router deadline on every call, as most LiteLLM configs set one.
    const timeout = Number(process.env.ROUTER_TIMEOUT);
    const extra = timeout > 0 ? { router_settings: { timeout } } : {};
    config = writeSwitchyardConfig({ emulatorUrl: emulator.url, model: MODEL, extra });
    const port = await freePort();
    const nodeFlags = [];
    if (cpuProfileDir) {
      mkdirSync(cpuProfileDir, { recursive: true });
      nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`);
    }
    child = spawnNode({
      name,
      args: [
        ...nodeFlags,
        cli,
        '--config',
        config,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--num-workers',
        '1',
      ],
      cpu: GATEWAY_CPU,
      cwd: ROOT,
      env,
    });
    url = `http://127.0.0.1:${port}`;
  } else if (name === 'portkey') {
    const entry = ensurePortkeyInstalled();
    const port = await freePort();
    child = spawnNode({
      name,
      args: [entry, `--port=${port}`, '--headless'],
      cpu: GATEWAY_CPU,
      cwd: BENCH_DIR,
    });
    url = `http://127.0.0.1:${port}`;
    Object.assign(headers, portkeyHeaders(`${emulator.url}/v1`));
  } else {
    throw new Error(
      `unknown target "${name}": expected one of ${[...ALL_TARGETS, B_TARGET].join(', ')}`,
    );
  }
  const target = {
    name,
    chatUrl: `${url}/v1/chat/completions`,
    headers,
    pid: child.pid,
    stop: async () => {
      await stopChild(child);
      if (config) rmSync(config, { force: true });
    },
  };
  try {
    await waitUntil(child, servesChat(target, readyMaxTokens), {
      what: 'a 200 chat completion',
    });
  } catch (error) {
    await target.stop();
    throw error;
  }
  return target;
}

/** Where `--cpu-prof` output goes by default. */
export const PROFILE_DIR = join(RESULTS_DIR, 'profiles');
