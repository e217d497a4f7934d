/**
 * The whole test run's logs, kept for one check at its end (tests/utils/logScan.ts): every test relay,
 * in-process or child process, appends every record to a file here, and the test clients note the
 * secrets they see (passwords, tokens, activation codes) so the scan can look for each one.
 */
import fs from 'node:fs'
import path from 'node:path'

/** Where a run's logs and noted secrets go (emptied when the run starts). */
export const CAPTURE_DIR = path.resolve(import.meta.dirname, '../.tmp/log-capture')

/** @returns this test process's log file. */
export function captureFile(): string {
  return path.join(CAPTURE_DIR, `relay-${process.pid}.log`)
}

/** Notes secrets the tests used or received, to be looked for in the logs. */
export function noteSecrets(...secrets: readonly (string | null | undefined)[]): void {
  const found = secrets.filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 8,
  )
  if (found.length === 0) {
    return
  }
  fs.mkdirSync(CAPTURE_DIR, { recursive: true })
  fs.appendFileSync(path.join(CAPTURE_DIR, `secrets-${process.pid}.txt`), `${found.join('\n')}\n`)
}
