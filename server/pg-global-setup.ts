// globalSetup of the vitest project `pg`: ONE private, throw-away PostgreSQL for the whole run
// (server/store/pg-test-server.ts). Its superuser URL goes to the test files through vitest's
// provide/inject; startTestServer (server/test-support.ts) creates a fresh database on it per
// server. Stopped (and its directory removed) at teardown.
import type { TestProject } from 'vitest/node';
import { startPgTestServer } from './store/pg-test-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser connection string (database `postgres`) of the run's test PostgreSQL. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // fsync off: what these tests check is the server over the async port, not durability figures
  // (the store's own tests and the bench measure those with fsync on).
  const server = await startPgTestServer({ fsync: false });
  project.provide('pgAdminUrl', server.url());
  return () => server.stop();
}
