/**
 * A timer that fires once `ms` have passed without a `touch()`. Touching only notes the time; when
 * the timer comes due early it waits out the rest. The relay touches such timers at every update
 * or commit of a room (versions, search, 发文复核), and moving a Node timer (`refresh()`) at each
 * one cost more than the one re-arming per quiet spell this does.
 *
 * @example
 *   const quiet = new QuietTimer(2000, () => void index(documentId))
 *   quiet.touch() // at each change: the 2 s start again
 */
export class QuietTimer {
  private last: number
  private timer: NodeJS.Timeout

  /**
   * @param ms the quiet time
   * @param fire called once, `ms` after the last touch (or the start)
   * @param now the clock (Date.now; tests' fake timers move it)
   */
  constructor(
    readonly ms: number,
    private readonly fire: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now()
    this.timer = this.arm(ms)
  }

  /** The quiet time starts again now. */
  touch(): void {
    this.last = this.now()
  }

  /** The timer will not fire. */
  cancel(): void {
    clearTimeout(this.timer)
  }

  private arm(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.due(), ms)
    // A pending quiet time never keeps the process alive (the callers flush at shutdown).
    timer.unref()
    return timer
  }

  private due(): void {
    const now = this.now()
    // A wall clock set back must not hold the timer off by the time it went back.
    this.last = Math.min(this.last, now)
    const rest = this.last + this.ms - now
    if (rest > 0) {
      this.timer = this.arm(rest)
      return
    }
    this.fire()
  }
}
