// Runs the bench's own unit tests: npx vitest run --config bench/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['bench/**/*.test.ts'], environment: 'node', root: new URL('..', import.meta.url).pathname } });
