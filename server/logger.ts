/**
 * The relay's one logger, on pino (Fastify's own): JSON lines in production, pretty lines in
 * development (a terminal, pino-pretty installed, NODE_ENV not production), the level from
 * `QILU_LOG_LEVEL`. Every record is scrubbed of secrets (shared/redact.ts) before it is written:
 * tokens in URLs, bearer headers, password and activation-code fields.
 *
 * @example
 *   const logger = createLogger({ level: 'info' })
 *   logger.warn('bad message', { room: 'doc:1', user: 'u1' })
 */
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import pino from 'pino'
import type { DestinationStream, Logger as PinoLogger } from 'pino'
import { redactFields, redactText } from '../shared/redact'

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** A structured logger. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** The logger with the pino instance behind it (Fastify logs its requests through it). */
export interface RelayLogger extends Logger {
  readonly pino: PinoLogger
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** Keeps only errors (tests, benchmarks). */
  readonly quiet?: boolean
  /** Lowest level written; `QILU_LOG_LEVEL`, else info. */
  readonly level?: LogLevel
  /** Where lines go (default stdout); a file path appends to that file. */
  readonly destination?: string | DestinationStream
  /** Pretty lines for a person at a terminal; default: a TTY outside production. */
  readonly pretty?: boolean
  /**
   * Also appends every record, debug level included, to this file (`QILU_LOG_FILE`; the tests use
   * it to scan a whole run's logs for secrets).
   */
  readonly capture?: string
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** @returns the level named by `QILU_LOG_LEVEL`, if it names one. */
export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const wanted = env.QILU_LOG_LEVEL?.toLowerCase()
  return LEVELS.find((level) => level === wanted)
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

/**
 * Open destinations by file (or 1 for stdout), shared by every logger of the process: each one
 * registers an exit handler, and a process that makes many loggers (the tests) would add many.
 *
 * The log proper is written asynchronously: a line goes out at once when nothing is being
 * written, and the lines that come while a write is under way go out together in the next one.
 * Written synchronously, each request's line cost the relay a write(2) of its own, a quarter of
 * the CPU of a burst of 200 `GET /health`. On exit, an uncaught exception's included, pino writes
 * what is left synchronously (its exit handler); only a kill -9 can lose the lines of the last
 * moment, never anything of record (the audit log and the documents are in the database). A
 * destination that fails (its file cannot be opened) says so on stderr, and never ends the relay.
 *
 * The capture file (QILU_LOG_FILE) is written synchronously: what reads it (the tests' scan for
 * secrets) must find every line there as soon as it was logged.
 */
const destinations = new Map<string, DestinationStream>()

/** Says on stderr (outside the log, which is what fails) that `dest` cannot be written. */
function cannotWrite(dest: string | number, why: string): void {
  process.stderr.write(`qilu: the log cannot be written to ${String(dest)}: ${why}\n`)
}

/**
 * An asynchronous file destination opened here, synchronously: sonic-boom opens a path in the
 * background, and pino's flush at exit throws ("sonic boom is not ready yet") when the process ends
 * before that open is done — or when it never succeeds. A path that cannot be opened is said so on
 * stderr at once, and the log goes to stderr instead (descriptor 2, ready from the start), so no
 * line is lost and the exit's flush finds an open stream.
 */
function openedNow(dest: string | number, sync: boolean): string | number {
  if (typeof dest !== 'string' || sync) {
    return dest
  }
  try {
    fs.mkdirSync(path.dirname(dest), { recursive: true })
    return fs.openSync(dest, 'a')
  } catch (error) {
    cannotWrite(dest, `${(error as Error).message}; it goes to stderr`)
    return 2
  }
}

function sharedDestination(dest: string | number, sync: boolean): DestinationStream {
  const key = `${sync ? 'sync' : 'async'}:${dest}`
  let stream = destinations.get(key)
  if (stream === undefined) {
    const target = openedNow(dest, sync)
    const opened = pino.destination({
      dest: target,
      append: true,
      sync,
      mkdir: typeof target === 'string',
    })
    opened.on('error', (error: Error) => cannotWrite(dest, error.message))
    stream = opened
    destinations.set(key, stream)
  }
  return stream
}

function destinationOf(options: LoggerOptions, pretty: boolean): DestinationStream {
  if (typeof options.destination === 'object') {
    return options.destination
  }
  if (typeof options.destination === 'string') {
    return sharedDestination(options.destination, false)
  }
  if (pretty) {
    return pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } })
  }
  return sharedDestination(1, false)
}

/** @returns the relay's logger. */
export function createLogger(options: LoggerOptions = {}): RelayLogger {
  const level = options.quiet === true ? 'error' : (options.level ?? levelFromEnv() ?? 'info')
  const pretty =
    options.pretty ??
    (options.destination === undefined &&
      process.stdout.isTTY === true &&
      process.env.NODE_ENV !== 'production' &&
      prettyAvailable())
  const main = destinationOf(options, pretty)
  const destination =
    options.capture === undefined
      ? main
      : pino.multistream([
          { level, stream: main },
          { level: 'debug', stream: sharedDestination(options.capture, true) },
        ])
  const instance = pino(
    {
      level: options.capture === undefined ? level : 'debug',
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      formatters: {
        level: (label) => ({ level: label }),
        // Every record's fields, Fastify's request log included, pass through the scrubber.
        log: (fields) => redactFields(fields),
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg))
          method.apply(this, scrubbed as Parameters<typeof method>)
        },
      },
    },
    destination,
  )
  const write =
    (at: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) {
        instance[at](message)
      } else {
        instance[at](fields, message)
      }
    }
  return {
    pino: instance,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  }
}
