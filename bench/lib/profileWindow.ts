/**
 * CPU profiles of chosen windows of this process's main thread, through the inspector: a
 * benchmark profiles only the requests it measures, not its seeding. Set by `BENCH_CPU_PROF=<dir>`;
 * each window is written as `<dir>/<name>.cpuprofile` (open it in Chrome's DevTools).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { Session } from 'node:inspector/promises'

/** The folder profiles go to, or null when profiling is off. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF ?? null

/**
 * Runs `work`, profiled when BENCH_CPU_PROF is set.
 * @param name the profile's file name (without extension)
 * @returns what `work` returns
 */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (PROFILE_DIR === null) {
    return work()
  }
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    await fs.mkdir(PROFILE_DIR, { recursive: true })
    const file = path.join(PROFILE_DIR, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`)
    await fs.writeFile(file, JSON.stringify(profile))
  }
}
