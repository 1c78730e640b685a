#!/usr/bin/env node
// `pnpm start`: runs the proxy on the embedded demo config (the vLLM and
// Triton emulators start in-process), so the first curl works with no GPU.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const proxyCli = `${root}apps/proxy/dist/cli.js`;
const emulatorCli = `${root}packages/testing/dist/cli.js`;
const args = process.argv.slice(2);

let command;
if (existsSync(proxyCli) && existsSync(`${root}examples/demo.config.yaml`)) {
  command = [proxyCli, '--config', `${root}examples/demo.config.yaml`, ...args];
} else {
  // Until the proxy is built, serve the vLLM emulator the proxy's demo uses.
  command = [emulatorCli, 'vllm', '--port', '8000', '--model', 'facebook/opt-125m', ...args];
}
const child = spawn(process.execPath, command, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', code => process.exit(code ?? 0));
