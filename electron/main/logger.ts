/**
 * The main process's logger: pino, as the relay's, with the same scrubbing of secrets
 * (shared/redact.ts), JSON lines on stdout. The only electron/ module that writes to the console.
 */
import pino from 'pino'
import { redactFields, redactText } from '../../shared/redact'

/** A structured logger. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const instance = pino(
  {
    level: 'info',
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { process: 'main' },
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => redactFields(fields),
    },
  },
  // Synchronous: the last line before a crash must reach the terminal.
  pino.destination({ dest: 1, sync: true }),
)

function write(level: keyof Logger) {
  return (message: string, fields?: Record<string, unknown>): void => {
    instance[level](fields ?? {}, redactText(message))
  }
}

/** The main process logger. */
export const logger: Logger = {
  info: write('info'),
  warn: write('warn'),
  error: write('error'),
}

/** @returns a short description of a thrown value for the log (never sent to the renderer). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
