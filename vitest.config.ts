import { defineConfig } from 'vitest/config';
import { WeighedSequencer } from './e2e/file-order.ts';

// Three projects: fast tests (pure units beside the code + server integration over real HTTP and
// socket.io-client, everything in the embedded SQLite file), the server integration tests that
// exercise the event log once more with DATABASE_URL set (the log, accounts, audit chain and device
// health in PostgreSQL: one private server for the run, a database per test server), and browser
// tests (Playwright driving Debian's Chromium against a real stack).

// The server integration files that run a second time on PostgreSQL: those that append, read,
// tail, checkpoint or restart on the log (auth.test.ts too: revocations travel through the log).
// Left out:
// - SQLite specifics: server/disk.test.ts fills the SQLite file (pragma max_page_count on the
//   store's db handle); server/shutdown.test.ts and server/crash.test.ts open linkage.db and its
//   WAL directly after a signal to / a kill of a spawned server (DATA_DIR only, no DATABASE_URL).
//   (ingest.test.ts's disk-full case has a PostgreSQL variant; audit.test.ts's trigger case pins
//   databaseUrl: null and stays on SQLite.)
// - Nothing of the log beyond a few appends, so a second run buys nothing but CI time:
//   server/security.test.ts (headers, origins), server/limits.test.ts and
//   server/mqtt-limits.test.ts (rate and broker limits), server/gateways.test.ts (key registry),
//   server/video.test.ts (stream URLs), server/slow-consumers.test.ts (socket backpressure; its
//   latency bound measures the machine's load), server/config.test.ts (no server).
// - server/*-pg.test.ts (audit-pg, auth-pg), server/cluster.test.ts: already on PostgreSQL.
// - The fuzz files, analysis, sensors and device-health: they exercise validation and read models
//   over the projections, the same code whatever the store; the suite stays within CI's budget.
const PG_FILES = [
  'server/audit.test.ts',
  'server/auth.test.ts',
  'server/broadcasts.test.ts',
  'server/cases.test.ts',
  'server/drones.test.ts',
  'server/duty.test.ts',
  'server/exchange.test.ts',
  'server/ingest.test.ts',
  'server/ledger-import.test.ts',
  'server/boundary-import.test.ts',
  'server/mqtt.test.ts',
  'server/read-policy.test.ts',
  'server/reconnect.test.ts',
  'server/registry.test.ts',
  'server/replay.test.ts',
  'server/scope-isolation.test.ts',
];

export default defineConfig({
  test: {
    // On a fresh clone, heaviest files first, a file weighed with the test modules it runs (e2e/file-order.ts).
    sequence: { sequencer: WeighedSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'data/**/*.test.ts', 'simulator/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts', 'e2e/file-order.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Most of a server test's time is waiting (a server starting, a socket, a broker), so three
          // files at once keep two cores busy (one at a time, vitest's default here, left one idle).
          // First, with the PostgreSQL runs: the browser tests below must not share two cores with them.
          maxWorkers: 3,
          // Files share a worker's module cache: re-importing the server's module graph per file
          // cost 157 s of 193 (import 29 s, 133 s in all, without it). Nothing here mocks a module,
          // stubs env or leaves fake timers on, so a file cannot see another's doubles.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'pg',
          include: PG_FILES,
          environment: 'node',
          env: { LINKAGE_TEST_STORE: 'pg' },
          // One private PostgreSQL for the run (server/pg-global-setup.ts); files run in parallel
          // as in 'unit', each test server on a database of its own.
          globalSetup: ['server/pg-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Beside the unit tests (the same workers), before the browser tests.
          maxWorkers: 3,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // One stack (server + simulator) for every file; each file opens its own browser and page.
          globalSetup: ['e2e/global-setup.ts'],
          // Software WebGL on two cores can stall the page for many seconds per step.
          testTimeout: 360_000,
          hookTimeout: 240_000,
          // Two files at a time. Most of a browser test is waiting (the server, the simulator, a
          // page's next frame), and since the components are hexagons an idle page costs the
          // software renderer ~0.5 core instead of 1.5 (one file at a time was chosen when two
          // pages drawing 100,000 points slowed each other five-fold).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
