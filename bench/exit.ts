// A bench child prints its result as JSON on stdout and exits. To a pipe a write is asynchronous:
// process.exit() right after it cuts whatever exceeds the pipe's buffer (1,000 screens' results
// came out cut at 438 KB). Write callbacks run in order, so exiting in the callback of one more
// (empty) write exits once everything before it is out.
export function exitAfterOutput(code = 0): void {
  process.stdout.write('', () => process.exit(code));
}
