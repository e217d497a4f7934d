/** Starts a worker thread whose entry module is TypeScript. */
import { Worker } from 'node:worker_threads'

/**
 * Starts `entry` (a .ts module) in a worker thread. The `tsx` loader of the main thread is not
 * inherited by workers on Node 20, so a tiny ES module bootstrap registers it inside the worker first.
 */
export function startTsWorker(entry: URL, workerData: unknown = null): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const boot = [
    `const { register } = await import(${JSON.stringify(tsxApi)})`,
    'register()',
    `await import(${JSON.stringify(entry.href)})`,
  ].join('\n')
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData })
}
