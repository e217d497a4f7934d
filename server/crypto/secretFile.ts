/** Secrets kept in files of the data directory (mode 0600), created on first start. */
import fs from 'node:fs'
import path from 'node:path'

/** A secret read from (or just written to) its file. */
export interface SecretFile {
  /** The file's content without surrounding whitespace. */
  readonly value: string
  /** Whether this call created the file. */
  readonly created: boolean
  /** Whether others than the owner may read the file (its mode is wider than 0600). */
  readonly exposed: boolean
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
}

/**
 * Reads `file`, or creates it with `create()` when it does not exist. Creation is exclusive, so two
 * processes starting at once on one data directory end up with the same secret.
 */
export function readOrCreateSecret(file: string, create: () => string): SecretFile {
  try {
    return read(file, false)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      throw error
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  let fd: number
  try {
    fd = fs.openSync(file, 'wx', 0o600)
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      return read(file, false)
    }
    throw error
  }
  try {
    fs.writeSync(fd, `${create()}\n`)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  return read(file, true)
}

function read(file: string, created: boolean): SecretFile {
  const value = fs.readFileSync(file, 'utf8').trim()
  const exposed = process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0
  return { value, created, exposed }
}
