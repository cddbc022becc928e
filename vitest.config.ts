import { defineConfig } from 'vitest/config';

// Two projects: fast tests (pure units beside the code + server integration over real HTTP and
// socket.io-client), and browser tests (Playwright driving Debian's Chromium against a real stack).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'data/**/*.test.ts', 'simulator/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // First, alone: the browser tests below must not share two cores with 60 test files.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // Software WebGL on two cores can stall the page for many seconds per step.
          testTimeout: 360_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
