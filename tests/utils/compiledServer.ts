/**
 * The relay and its scripts compiled once per test process (scripts/buildServer.mjs, as `npm start`
 * does), so a test that starts them as child processes does not pay tsx's compilation of the whole
 * server at every start. Built under tests/.tmp, inside the project, so the bundles find
 * node_modules.
 *
 * @example
 *   const verify = await compiledEntry('auditVerify')
 *   spawnSync(process.execPath, [verify], { cwd: ROOT })
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildServer } from '../../scripts/buildServer.mjs'

const OUT_DIR = path.resolve(import.meta.dirname, '../.tmp', `server-${process.pid}`)

let built: Promise<void> | null = null

/** The entries of scripts/buildServer.mjs. */
export type CompiledEntry = 'main' | 'auditVerify' | 'roomLogWorker' | 'sliceWorker'

/** @returns the path of an entry's bundle, building the relay first if this process has not yet. */
export async function compiledEntry(entry: CompiledEntry): Promise<string> {
  built ??= (async () => {
    fs.rmSync(OUT_DIR, { recursive: true, force: true })
    await buildServer(OUT_DIR)
    process.once('exit', () => fs.rmSync(OUT_DIR, { recursive: true, force: true }))
  })()
  await built
  return path.join(OUT_DIR, `${entry}.js`)
}
