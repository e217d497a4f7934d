import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// One project per runtime (STYLE.md). Server and e2e suites use the real PostgreSQL, Redis and
// Chromium of the machine; they run files one at a time to keep ports and databases apart.
export default defineConfig({
  test: {
    // Scans every relay log line of the run for secrets when the run ends.
    globalSetup: ['tests/utils/logScan.ts'],
    projects: [
      { test: { name: 'shared', environment: 'node', include: ['tests/shared/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          // An answer carrying a field its route's response schema lacks fails (contractRoute.ts).
          env: { QILU_STRICT_CONTRACTS: '1' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'electron', environment: 'node', include: ['tests/electron/**/*.test.ts'] } },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/globalSetup.ts'],
          env: { QILU_STRICT_CONTRACTS: '1' },
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
