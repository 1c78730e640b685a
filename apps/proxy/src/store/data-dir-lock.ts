import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../config/config-error';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = 'proxy.lock';

/** Folders this process holds (a second proxy in the same process is refused too). */
const held = new Set<string>();

/** A claim on a data folder; release it when the proxy stops. */
export interface DataDirLock {
  release(): void;
}

/**
 * Claims the data folder (embedded database and spend log) for this
 * process with a lock file holding its pid. Two proxies sharing one folder
 * would open one database from two processes and mix their spend, so a
 * second one is refused, naming the process that holds the folder and the
 * setting that gives it a folder of its own. A lock whose process is gone
 * (a crash, or a container's previous life under the same pid) is taken over.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  if (held.has(dir)) throw busy(dir, process.pid);
  mkdirSync(dir, { recursive: true });
  // Written aside and linked into place: the lock file appears with its pid in it, or not at all.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, path);
        held.add(dir);
        return { release: () => release(dir, path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = ownerOf(path);
        if (owner !== undefined && owner !== process.pid && isProcessAlive(owner)) {
          throw busy(dir, owner);
        }
        removeIfPresent(path);
      }
    }
    throw busy(dir, ownerOf(path));
  } finally {
    removeIfPresent(draft);
  }
}

function release(dir: string, path: string): void {
  if (!held.delete(dir)) return;
  if (ownerOf(path) === process.pid) removeIfPresent(path);
}

function busy(dir: string, pid: number | undefined): ConfigError {
  const shown = relative(process.cwd(), dir) || '.';
  const who = pid === process.pid ? 'this process' : `pid ${pid ?? 'unknown'}`;
  return new ConfigError(
    `another Switchyard proxy (${who}) is using the data folder ${shown.startsWith('..') ? dir : shown} ` +
      '(embedded database and spend log), and two proxies must not share one. Stop it, or give ' +
      'this proxy a folder of its own: general_settings.switchyard_data_dir or SWITCHYARD_DATA_DIR ' +
      '(or a shared database with database_url).',
  );
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Whether a process with this pid exists (one we may not signal still exists). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
