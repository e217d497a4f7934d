/**
 * Starts a worker thread from the relay's source or from its build. Under `npm run dev` and in the
 * tests the relay runs as TypeScript (tsx), and a worker's entry is the .ts file beside its client;
 * the built relay (out/server, `npm start`) has each worker bundled as `<name>.js` beside main.js.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** @returns the URL of tsx's ES module API (`require.resolve` would give its CommonJS build). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url)
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
 * Starts the worker whose TypeScript entry is `entry`.
 * - Built relay: `entry` resolves next to the bundle (out/server/<name>.ts, absent), so the bundled
 *   `<name>.js` beside it runs directly.
 * - Source: the .ts file exists; workers do not inherit the parent's tsx loader, so a tiny ES module
 *   bootstrap registers it inside the worker first.
 * @param entry file URL of the worker's TypeScript module
 * @param workerData passed to the worker as `workerData`
 */
export function startTsWorker(entry: URL, workerData: unknown = null): Worker {
  const source = fileURLToPath(entry)
  if (!fs.existsSync(source)) {
    const built = source.replace(/\.ts$/, '.js')
    if (!fs.existsSync(built)) {
      throw new Error(`worker entry missing: neither ${source} nor ${built}`)
    }
    return new Worker(built, { workerData })
  }
  const boot = [
    `const { register } = await import(${JSON.stringify(tsxEsmApi())})`,
    'register()',
    `await import(${JSON.stringify(entry.href)})`,
  ].join('\n')
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData })
}
