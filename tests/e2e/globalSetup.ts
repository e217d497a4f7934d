/**
 * Builds the web client once before the end-to-end suite (skip with QILU_E2E_SKIP_BUILD=1 when
 * out/renderer is already fresh).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
/** Where the web client is built for the suite; QILU_E2E_WEB_ROOT lets parallel checkouts keep apart. */
const E2E_WEB_ROOT = path.resolve(ROOT, process.env.QILU_E2E_WEB_ROOT ?? 'out/renderer')

/** Vitest global setup. */
export default function setup(): void {
  if (
    process.env.QILU_E2E_SKIP_BUILD === '1' &&
    fs.existsSync(path.join(E2E_WEB_ROOT, 'index.html'))
  ) {
    return
  }
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/vite'),
    [
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
      '--outDir',
      E2E_WEB_ROOT,
    ],
    // Vitest sets NODE_ENV=test, which would make Vite build a development bundle.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  )
  if (result.status !== 0) {
    throw new Error(`web client build failed (exit ${String(result.status ?? result.signal)})`)
  }
}
