#!/usr/bin/env node
// `pnpm start`: builds, then runs the proxy on the embedded demo config (the
// vLLM and Triton emulators start in-process), so the first curl works with
// no GPU. Extra arguments go to `switchyard` (`pnpm start --port 4100`).
import { fileURLToPath } from 'node:url';
import { runProxyCommand } from './proxy-command.mjs';

const demo = fileURLToPath(new URL('../examples/demo.config.yaml', import.meta.url));
await runProxyCommand(['--config', demo, ...process.argv.slice(2)]);
