import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// One project per runtime (STYLE.md). Server and e2e suites use the real PostgreSQL, Redis and
// Chromium of the machine. Groups run in turn: the unit suites; then the server files, two at a
// time (each has its own port, data folder and database); then the timing-sensitive server files
// and the e2e files, each project one file at a time.
/** Server test files that assert on time or throughput: they run alone (project server-serial). */
const SERVER_SERIAL = [
  'tests/server/crash.test.ts',
  'tests/server/policy/documentPolicy.test.ts',
  'tests/server/storage/drill.test.ts',
  'tests/server/storage/durableAck.test.ts',
  'tests/server/imports/importBomb.test.ts',
  'tests/server/policy/policyLimits.test.ts',
  'tests/server/relay/relayFlow.test.ts',
  'tests/server/relay/relayPipeline.test.ts',
  'tests/server/runtime.test.ts',
]

/** Settings of both server projects. */
const server = {
  environment: 'node',
  // An answer carrying a field its route's response schema lacks fails (contractRoute.ts).
  env: { QILU_STRICT_CONTRACTS: '1' },
  testTimeout: 30_000,
  hookTimeout: 60_000,
} as const

export default defineConfig({
  test: {
    // Scans every relay log line of the run for secrets when the run ends.
    globalSetup: ['tests/utils/logScan.ts'],
    projects: [
      { test: { name: 'shared', environment: 'node', include: ['tests/shared/**/*.test.ts'] } },
      {
        test: {
          ...server,
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          exclude: SERVER_SERIAL,
          // Each file makes its own data folder, PostgreSQL database and Redis prefix: files run side by side.
          fileParallelism: true,
          maxWorkers: 2,
          // Vitest runs one group at a time; a group's projects share one worker limit.
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Files that measure time or throughput run one at a time, after the parallel ones.
        test: {
          ...server,
          name: 'server-serial',
          include: SERVER_SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
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
          sequence: { groupOrder: 2 },
          env: { QILU_STRICT_CONTRACTS: '1' },
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
