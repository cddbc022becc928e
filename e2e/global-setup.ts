// Starts the stack every browser test file shares (server + simulator + built dashboard) once for
// the run; a file that needs a server of its own (e2e/restart.e2e.test.ts) starts one itself.
// LINKAGE_E2E_URL=http://127.0.0.1:8080 runs the tests against an instance already running
// (GATEWAY_KEY, LINKAGE_E2E_ADMIN_PASSWORD: its gateway key and one-time admin password).
import type { TestProject } from 'vitest/node';
import { startStack } from './harness.ts';

export interface E2eStack {
  url: string;
  key: string;
  adminPassword: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eStack: E2eStack;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.LINKAGE_E2E_URL;
  if (given) {
    project.provide('e2eStack', { url: given.replace(/\/$/, ''), key: process.env.GATEWAY_KEY ?? '', adminPassword: process.env.LINKAGE_E2E_ADMIN_PASSWORD ?? null });
    return undefined;
  }
  const stack = await startStack();
  // Printed by the server before it listens, so it is in the output once the stack is healthy.
  const adminPassword = /admin \/ (\S+)/.exec(stack.logs())?.[1] ?? null;
  project.provide('e2eStack', { url: stack.url, key: stack.key, adminPassword });
  return () => stack.stop();
}
