/** Starts worker threads whose entry module is TypeScript, the way the relay itself runs (tsx). */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

const require = createRequire(import.meta.url)

/** @returns the URL of tsx's ES module API (`require.resolve` would give its CommonJS build). */
function tsxEsmApi(): string {
  const manifest = require.resolve('tsx/package.json')
  const exportsMap: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports
  const entry =
    typeof exportsMap === 'object' && exportsMap !== null && './esm/api' in exportsMap
      ? exportsMap['./esm/api']
      : null
  const file =
    typeof entry === 'object' &&
    entry !== null &&
    'import' in entry &&
    typeof entry.import === 'object' &&
    entry.import !== null &&
    'default' in entry.import &&
    typeof entry.import.default === 'string'
      ? entry.import.default
      : './dist/esm/api/index.mjs'
  return pathToFileURL(path.join(path.dirname(manifest), file)).href
}

/**
 * Starts `entry` (a .ts module) in a worker thread. Workers do not inherit the parent's `tsx`
 * loader on Node 20, so a tiny ES module bootstrap registers it inside the worker first.
 * @param entry file URL of the worker's TypeScript module
 * @param workerData passed to the worker as `workerData`
 */
export function startTsWorker(entry: URL, workerData: unknown = null): Worker {
  const tsxApi = tsxEsmApi()
  const boot = [
    `const { register } = await import(${JSON.stringify(tsxApi)})`,
    'register()',
    `await import(${JSON.stringify(entry.href)})`,
  ].join('\n')
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData })
}
