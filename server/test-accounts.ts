// Test fixture: a server that requires signing in (AUTH_MODE=accounts), with the one-time admin
// password it prints on its first start caught from stdout.
import type { ServerConfig } from './config.ts';
import { startTestServer, type TestServer } from './test-support.ts';

export async function startAccountsServer(opts: Parameters<typeof startTestServer>[0] = {}): Promise<{ server: TestServer; adminPassword: string }> {
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += String(chunk);
    return write(chunk as never, ...(rest as []));
  }) as typeof process.stdout.write;
  let server: TestServer;
  try {
    server = await startTestServer({ ...opts, config: { authMode: 'accounts', ...(opts.config as Partial<ServerConfig> | undefined) } });
  } finally {
    process.stdout.write = write;
  }
  const found = /admin \/ (\S+)/.exec(printed);
  if (!found) throw new Error('the server printed no one-time admin password (not a first start?)');
  return { server, adminPassword: found[1] };
}
