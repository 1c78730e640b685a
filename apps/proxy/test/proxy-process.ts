import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A proxy running as its own OS process (the CLI on the TypeScript sources, through tsx). */
export interface ProxyProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stderr (banner, crash text). */
  stderr(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** The CLI's arguments, run on the TypeScript sources through tsx. */
function cliCommand(args: string[]): string[] {
  return ['--import', 'tsx', '--conditions=@switchyard/source', 'src/cli.ts', ...args];
}

/**
 * Runs `switchyard …` to its end (for start-ups that must fail) and
 * resolves with its exit code and everything it wrote to stderr.
 */
export async function runProxyCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, cliCommand(args), {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** Starts `switchyard --config <file>` on a free loopback port and resolves once it listens. */
export async function spawnProxy(options: {
  config: string;
  env?: Record<string, string>;
}): Promise<ProxyProcess> {
  const child = spawn(
    process.execPath,
    cliCommand(['--config', options.config, '--host', '127.0.0.1', '--port', '0']),
    { cwd: APP_DIR, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', code =>
      reject(new Error(`proxy exited with ${code} before listening:\n${err}`)),
    );
  });
  const url = await listening;
  return {
    url,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
