// How a bench child ends: its JSON result on stdout, then exit.
import path from 'node:path';

// A bench child prints its result as JSON on stdout and exits. To a pipe a write is asynchronous:
// process.exit() right after it cuts whatever exceeds the pipe's buffer (1,000 screens' results
// came out cut at 438 KB). Write callbacks run in order, so exiting in the callback of one more
// (empty) write exits once everything before it is out.
export function exitAfterOutput(code = 0): void {
  process.stdout.write('', () => process.exit(code));
}

/**
 * When `filename` is the script node was started with: runs `measure`, prints its result as one JSON
 * line and exits 0 once it is out (1 with the error on stderr). Stopped from outside (bench's
 * deadline, Ctrl+C), it exits, so a stack's exit hook kills its processes.
 */
export function runAsBenchChild(filename: string, measure: () => Promise<unknown>, log: (m: string) => void): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== path.resolve(filename)) return;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
  measure().then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      exitAfterOutput(0);
    },
    (e) => {
      log(`FAILED: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
