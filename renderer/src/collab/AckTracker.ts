/**
 * Tracks whether the relay has every local change, without any protocol extension.
 *
 * The y-websocket protocol has no acknowledgements, but the relay handles one socket's messages
 * strictly in order and answers every sync step 1 with a sync step 2. So after local updates the
 * client sends a "barrier": a sync step 1 of its own state vector. When the matching step 2 comes
 * back, the relay has applied every update sent before the barrier. Local changes are numbered;
 * a barrier carries the number of the latest one, and its answer acknowledges up to that number.
 *
 * What "acknowledged" means: the change is durable in the relay's database. The relay fans a change
 * out at once, but answers a barrier only after every update of the room queued before it has been
 * committed (group commit, PersistenceExtension.beforeSyncAnswer). When its database keeps failing
 * it closes the socket (1013 storage_unavailable) instead: the change stays pending here and is
 * sent again on reconnect.
 *
 * @example
 *   tracker.localChange()            // pending
 *   tracker.barrierSent()            // send step 1
 *   tracker.barrierAnswered()        // step 2 arrived → not pending
 */
export class AckTracker {
  /** Number of the latest local change (0: the state found at open, which must be confirmed too). */
  private latest = 0
  /** Highest change number the relay has acknowledged; -1 until the first barrier returns. */
  private acknowledged = -1
  /** Change numbers carried by barriers in flight on the current socket, oldest first. */
  private inFlight: number[] = []

  /** True while some local change (or the initial state) is not acknowledged by the relay. */
  get pending(): boolean {
    return this.latest > this.acknowledged
  }

  /** True when a barrier should be sent: something is pending and no barrier in flight covers it. */
  get needsBarrier(): boolean {
    const covered =
      this.inFlight.length === 0 ? this.acknowledged : (this.inFlight.at(-1) ?? this.acknowledged)
    return this.latest > covered
  }

  /** Records a local change (an update that did not come from the relay). */
  localChange(): void {
    this.latest++
  }

  /** Records that a barrier was sent now. */
  barrierSent(): void {
    this.inFlight.push(this.latest)
  }

  /** Records the answer to the oldest barrier in flight. @returns false if none was in flight. */
  barrierAnswered(): boolean {
    const covered = this.inFlight.shift()
    if (covered === undefined) {
      return false
    }
    this.acknowledged = Math.max(this.acknowledged, covered)
    return true
  }

  /** The socket closed: barriers in flight will never be answered. */
  connectionLost(): void {
    this.inFlight = []
  }
}
