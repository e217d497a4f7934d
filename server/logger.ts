/** The relay's one logger: JSON lines on stdout/stderr. The only module allowed to use console. */

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** A structured logger. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** @returns a logger that prints entries at or above `level`; `quiet` keeps only errors. */
export function createLogger(options: { quiet?: boolean; level?: LogLevel } = {}): Logger {
  const min = ORDER[options.quiet ? 'error' : (options.level ?? 'info')]
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) {
      return
    }
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })
    if (level === 'error' || level === 'warn') {
      console.error(line)
    } else {
      console.log(line)
    }
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  }
}
