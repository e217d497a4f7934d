/**
 * Vitest global setup for the whole run: empties the log capture at the start and, at the end,
 * fails the run if any captured log line holds a secret: a password, session token or activation
 * code the tests used or received, a `token=` left in a URL, or a bearer header.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CAPTURE_DIR } from './logCapture'

const PATTERNS: readonly RegExp[] = [
  /[?&]token=(?!\[redacted\])[^&\s"]+/i,
  /bearer\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}/i,
]

function readAll(dir: string, prefix: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) {
    return []
  }
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({ file: name, text: fs.readFileSync(path.join(dir, name), 'utf8') }))
}

/** @returns the problems found in the captured logs (exported for its own test). */
export function scanCapture(dir = CAPTURE_DIR): string[] {
  const secrets = new Set(
    readAll(dir, 'secrets-').flatMap(({ text }) => text.split('\n').filter((line) => line !== '')),
  )
  const problems: string[] = []
  for (const { file, text } of readAll(dir, 'relay-')) {
    for (const line of text.split('\n')) {
      const pattern = PATTERNS.find((candidate) => candidate.test(line))
      const secret = [...secrets].find((candidate) => line.includes(candidate))
      if (pattern !== undefined || secret !== undefined) {
        problems.push(`${file}: ${line.slice(0, 300)}`)
      }
    }
  }
  return problems
}

/** Vitest global setup. */
export default function setup(): () => void {
  fs.rmSync(CAPTURE_DIR, { recursive: true, force: true })
  fs.mkdirSync(CAPTURE_DIR, { recursive: true })
  return () => {
    const lines = readAll(CAPTURE_DIR, 'relay-').reduce(
      (sum, { text }) => sum + text.split('\n').length - 1,
      0,
    )
    const problems = scanCapture()
    if (problems.length > 0) {
      throw new Error(
        `secrets in the logs (${problems.length} lines of ${lines}):\n${problems.slice(0, 20).join('\n')}`,
      )
    }
    process.stdout.write(`log scan: ${lines} captured log lines, no secret in any\n`)
  }
}
