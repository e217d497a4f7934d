/** Entry point of `npm start`: reads the environment, starts the relay, flushes on SIGTERM/SIGINT. */
import { loadConfig } from './config'
import { createLogger } from './logger'
import { startRelay } from './app'
import { oneTimePasswordBanner } from './banner'

const config = loadConfig()
const logger = createLogger({
  quiet: config.quiet,
  ...(process.env.QILU_LOG_FILE ? { capture: process.env.QILU_LOG_FILE } : {}),
})

const running = await startRelay(config, { logger }).catch((error: unknown) => {
  logger.error('relay failed to start', { error: String(error) })
  process.exit(1)
})
if (running.oneTimeAdminPassword !== null) {
  // To the terminal, outside the logger: a password must never be a log field.
  process.stderr.write(oneTimePasswordBanner(running.oneTimeAdminPassword))
}

let stopping = false
const stop = (signal: string): void => {
  if (stopping) {
    return
  }
  stopping = true
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
