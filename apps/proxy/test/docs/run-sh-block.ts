import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ResolveAddress, type Rewritten, rewriteAddresses } from './doc-addresses';
import type { DocBlock } from './doc-blocks';

const exec = promisify(execFile);

/** What a shell block did. */
export interface ShRun {
  rewritten: Rewritten;
  stdout: string;
}

/** The commands of a block: lines joined at a trailing backslash, comments and blank lines left out. */
export function shellCommands(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'));
}

/** Only blocks of `curl` commands run: installs, servers and other tools need what a test has not. */
export function isCurlBlock(code: string): boolean {
  const commands = shellCommands(code);
  return commands.length > 0 && commands.every(command => command.startsWith('curl '));
}

/**
 * Runs a block of `curl` commands with `sh`, verbatim but for its
 * addresses. curl reads a `.curlrc` from `CURL_HOME`; the one written here
 * makes an HTTP error status fail the command (`fail-with-body`) and bounds
 * its time, without changing the commands the reader sees.
 */
export async function runShBlock(options: {
  block: DocBlock;
  resolve: ResolveAddress;
  dir: string;
}): Promise<ShRun> {
  const rewritten = rewriteAddresses(options.block.code, options.resolve);
  await mkdir(options.dir, { recursive: true });
  await writeFile(
    join(options.dir, '.curlrc'),
    'fail-with-body\nsilent\nshow-error\nmax-time = 30\n',
  );
  const { stdout } = await exec('sh', ['-e', '-c', rewritten.code], {
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CURL_HOME: options.dir },
    timeout: 60_000,
  });
  return { rewritten, stdout };
}
