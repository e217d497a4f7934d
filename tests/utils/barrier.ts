/**
 * The client's save barrier on a stock provider (as renderer/src/collab/AckTracker.ts does it): a
 * sync step 1 sent after local updates, whose step 2 answer means the relay has every update sent
 * before it. Tests and the drill use it to know which changes the relay acknowledged.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { Client } from './yclient'

const MESSAGE_SYNC = 0
const SYNC_STEP2 = 1

/** Barriers of one client: what each covers, and the answers. */
export class Barriers {
  /** Highest mark acknowledged by an answer (-1: none). */
  acknowledged = -1
  /** Answers received. */
  answers = 0
  private inFlight: { mark: number; sentAt: number }[] = []
  private readonly listeners: ((mark: number, latencyMs: number) => void)[] = []

  constructor(private readonly client: Client) {
    const { provider } = client
    const handleSync = provider.messageHandlers[MESSAGE_SYNC]
    if (handleSync === undefined) {
      throw new Error('provider has no sync handler')
    }
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, from, emitSynced, type) => {
      const isAnswer = emitSynced && from.synced && decoding.peekVarUint(decoder) === SYNC_STEP2
      handleSync(encoder, decoder, from, emitSynced, type)
      if (isAnswer) {
        this.answered()
      }
    }
    provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') {
        // Barriers in flight on a closed socket are never answered.
        this.inFlight = []
      }
    })
  }

  /** Calls `listener` with the mark and the latency of each answer. */
  onAnswer(listener: (mark: number, latencyMs: number) => void): void {
    this.listeners.push(listener)
  }

  /**
   * Sends a barrier covering everything sent so far, labelled `mark`.
   * @returns false when the socket is not open (nothing sent)
   */
  send(mark: number): boolean {
    const { provider } = this.client
    const ws = provider.ws
    if (ws === null || !provider.wsconnected || ws.readyState !== ws.OPEN) {
      return false
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.client.doc)
    ws.send(encoding.toUint8Array(encoder))
    this.inFlight.push({ mark, sentAt: performance.now() })
    return true
  }

  /** Barriers sent and not answered. */
  get waiting(): number {
    return this.inFlight.length
  }

  private answered(): void {
    const barrier = this.inFlight.shift()
    if (barrier === undefined) {
      return
    }
    this.answers++
    this.acknowledged = Math.max(this.acknowledged, barrier.mark)
    const latency = performance.now() - barrier.sentAt
    this.listeners.forEach((listener) => listener(barrier.mark, latency))
  }
}
