/** Entry point of `npm start`: reads the environment, starts the relay, flushes on SIGTERM/SIGINT. */
import { loadConfig } from './config'
import { createLogger } from './logger'
import { startRelay } from './app'
import { oneTimePasswordBanner } from './banner'
import { redactSecrets } from './relay/syncTarget'
import { exposedCollector, reduceMemoryWhenIdle } from './idleMemory'

const config = loadConfig()
const logger = createLogger({
  quiet: config.quiet,
  ...(process.env.QILU_LOG_FILE ? { capture: process.env.QILU_LOG_FILE } : {}),
})

// Last resort. Every socket and request handler fails closed for its own connection, so an error
// that still escapes is a bug in one connection's handling: log it (without what the client sent:
// Node's crash dump would print an invalid URL, token and all) and keep serving everyone else,
// rather than let one request end the relay and `npm start` with it.
const escaped = (kind: string) => (error: unknown) => {
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error)
  logger.error(`${kind}; kept running`, { error: redactSecrets(stack.slice(0, 4000)) })
}
process.on('uncaughtException', escaped('uncaught exception'))
process.on('unhandledRejection', escaped('unhandled rejection'))

const running = await startRelay(config, { logger }).catch((error: unknown) => {
  logger.error('relay failed to start', { error: String(error) })
  process.exit(1)
})
if (running.oneTimeAdminPassword !== null) {
  // To the terminal, outside the logger: a password must never be a log field.
  process.stderr.write(oneTimePasswordBanner(running.oneTimeAdminPassword))
}

// Memory the start (or a busy spell) grew is given back while nobody is connected (issue 23).
const stopReducing = reduceMemoryWhenIdle(running.relay, exposedCollector())

let stopping = false
const stop = (signal: string): void => {
  if (stopping) {
    return
  }
  stopping = true
  stopReducing()
  logger.info('stopping; flushing rooms', { signal })
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('shutdown failed', { error: String(error) })
      process.exit(1)
    },
  )
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
