/**
 * CPU placement as in the peer-gateway measurements: the gateway alone on
 * CPU 0, the upstream emulator and the load generator on CPU 1, so a
 * gateway's RPS is what one core of it does. `PIN=0` leaves placement to the
 * OS; without `taskset` (or with fewer than 2 CPUs) pinning is skipped.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** CPU for the gateway under test. */
export const GATEWAY_CPU = 0;
/** CPU for the emulator and the load generator. */
export const LOAD_CPU = 1;

let tasksetChecked;
function hasTaskset() {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

let decided;

/**
 * Whether processes are pinned in this run, and why not when they are not.
 * Decided once: after pinSelf() this process sees only one CPU.
 */
export function pinning() {
  decided ??= decide();
  return decided;
}

function decide() {
  if (process.env.PIN === '0') return { enabled: false, reason: 'PIN=0' };
  if (availableParallelism() < 2) return { enabled: false, reason: 'fewer than 2 CPUs' };
  if (!hasTaskset()) return { enabled: false, reason: 'taskset not found' };
  return {
    enabled: true,
    reason: `gateway on CPU ${GATEWAY_CPU}, emulator + load on CPU ${LOAD_CPU}`,
  };
}

/** Pins every thread of this process (by default the load generator, to the load CPU). */
export function pinSelf(cpu = LOAD_CPU) {
  if (!pinning().enabled) return;
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], {
    stdio: 'ignore',
  });
}

/**
 * The command line that runs `command args` on `cpu` when pinning is on
 * (taskset execs the command, so the child's pid is the command's own).
 */
export function pinnedCommand(cpu, command, args) {
  if (!pinning().enabled) return { command, args };
  return { command: 'taskset', args: ['-c', String(cpu), command, ...args] };
}
