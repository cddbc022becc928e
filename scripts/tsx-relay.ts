// `npm start`, `npm run server` and `npm run bench` run under the tsx CLI. On a signal it waits
// 30 ms for the script's process to acknowledge it (from the event loop), sends it again, and
// SIGKILLs the process if 30 ms more pass: a loaded server died mid-shutdown, without its
// checkpoint, its WAL left behind. So an entry re-runs itself as `node --import tsx` below this
// idle process, which acknowledges at once, passes each signal on (the entries ignore repeats)
// and exits with the entry's exit code.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** The tsx CLI starts scripts with its preflight module, which reports signals to it. */
export const underTsxCli = (): boolean => process.execArgv.some((a) => a.replaceAll('\\', '/').endsWith('tsx/dist/preflight.cjs'));

/**
 * Under the tsx CLI: starts `entry` as a child and never resolves (this process exits with the
 * child). Otherwise resolves at once: this is the entry's own process.
 */
export function leaveTsxRelay(entry: string): Promise<void> {
  if (!underTsxCli()) return Promise.resolve();
  // Same process group: a terminal's Ctrl+C reaches the entry directly as well.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  return new Promise(() => {});
}
