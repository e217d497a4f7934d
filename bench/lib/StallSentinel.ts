/**
 * A thread that does nothing but watch its own event loop. It sleeps on a timer, so a long delay
 * means the machine did not run it: a stall of the shared host, not of a server. Rounds it flags
 * are reported apart, so the comparison does not hinge on when a neighbour's job happened to run.
 */
import { Worker } from 'node:worker_threads'

// Plain JavaScript (no tsx needed): the worker only samples its event-loop delay.
const SENTINEL = `
const { parentPort } = require('node:worker_threads')
const { monitorEventLoopDelay } = require('node:perf_hooks')
const delay = monitorEventLoopDelay({ resolution: 5 })
delay.enable()
parentPort.on('message', (message) => {
  if (message === 'close') {
    delay.disable()
    parentPort.close()
    return
  }
  parentPort.postMessage(delay.max / 1e6)
  delay.reset()
})
`

/** Longest delay (ms) of the idle sentinel's timer that still counts as a quiet machine. */
export const MACHINE_STALL_MS = 25

/** The sentinel thread. */
export class StallSentinel {
  private readonly worker = new Worker(SENTINEL, { eval: true })
  private waiting: ((value: number) => void) | null = null

  constructor() {
    this.worker.on('message', (value: number) => {
      const waiting = this.waiting
      this.waiting = null
      waiting?.(value)
    })
    // A sentinel that died reports no stalls rather than failing the benchmark.
    this.worker.on('error', () => this.waiting?.(Number.NaN))
  }

  /** @returns the longest event-loop delay (ms) since the previous call, and starts a new window. */
  mark(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = resolve
      this.worker.postMessage('mark')
    })
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve))
    this.worker.postMessage('close')
    await exited
  }
}
