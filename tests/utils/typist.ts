/**
 * A client typing numbered tokens (`<tag><n>;`) at the end of the shared text, with a save barrier
 * after each, as the drill does: which tokens the relay acknowledged ("已保存") is known exactly.
 */
import { Barriers } from './barrier'
import type { Client } from './yclient'

/** One typing client. */
export class Typist {
  /** Every token typed, in order; the index is the token's barrier mark. */
  readonly typed: string[] = []
  private barriers: Barriers
  /** Marks acknowledged on earlier connections (a Barriers instance per provider). */
  private acknowledgedBefore = -1
  private timer: NodeJS.Timeout | null = null

  constructor(
    private client: Client,
    private readonly tag: string,
  ) {
    this.barriers = new Barriers(client)
  }

  /** Types one token every `intervalMs` until stop(). */
  start(intervalMs = 10): void {
    this.timer = setInterval(() => this.type(), intervalMs)
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
  }

  /** Types one token and sends a barrier covering it (when the socket is open). */
  type(): string {
    const token = `${this.tag}${this.typed.length};`
    const text = this.client.doc.getText('text')
    text.insert(text.length, token)
    this.typed.push(token)
    this.barriers.send(this.typed.length - 1)
    return token
  }

  /** Moves to another provider on the same document (the client reconnecting to another node). */
  moveTo(client: Client): void {
    this.acknowledgedBefore = this.acknowledged
    this.client = client
    this.barriers = new Barriers(client)
  }

  /** Highest mark acknowledged so far (-1: none). */
  get acknowledged(): number {
    return Math.max(this.acknowledgedBefore, this.barriers.acknowledged)
  }

  /** Tokens the relay acknowledged as saved. */
  acknowledgedTokens(): string[] {
    return this.typed.slice(0, this.acknowledged + 1)
  }

  /** Calls `listener` once, at the next barrier answer. */
  onNextAnswer(listener: () => void): void {
    let done = false
    this.barriers.onAnswer(() => {
      if (!done) {
        done = true
        listener()
      }
    })
  }

  /** Sends a barrier covering everything typed. @returns false when the socket is not open. */
  barrier(): boolean {
    return this.barriers.send(this.typed.length - 1)
  }
}

/** @returns the tokens of `tokens` missing from `text`. */
export function missing(tokens: readonly string[], text: string): string[] {
  return tokens.filter((token) => !text.includes(token))
}
