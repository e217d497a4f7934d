/** The main process's one logger: JSON lines on stdout/stderr. The only electron/ module using console. */

/** A structured logger. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

type Level = keyof Logger

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    process: 'main',
    message,
    ...fields,
  })
  if (level === 'info') {
    console.log(line)
    return
  }
  console.error(line)
}

/** The main process logger. */
export const logger: Logger = {
  info: (message, fields) => write('info', message, fields),
  warn: (message, fields) => write('warn', message, fields),
  error: (message, fields) => write('error', message, fields),
}

/** @returns a short description of a thrown value for the log (never sent to the renderer). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
