/**
 * Session checks on PostgreSQL, gathered: every authenticated request reads its session and account,
 * and a burst of 200 requests made 200 round trips through a pool of 10 connections — each a
 * write(2) to PostgreSQL and a parse, plan and execution there, on the cores the relay shares. The
 * reads asked for within one turn of the event loop, or while `maxInFlight` reads are under way,
 * go out as one query (`token_hash = ANY($1)`); each caller gets its own row. No read is older
 * than it would be alone: a request's read is sent after the request asked for it, never answered
 * from an earlier one. When nothing else is being read, a read waits for one turn of the event
 * loop (setImmediate) and no more.
 *
 * @example
 *   const reads = new GatheredSessionReads(db)
 *   const session = await reads.read(tokenHash) // SessionWithUser | null
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { UserRow } from './UserStore'
import type { SessionReads, SessionWithUser } from './SessionStore'

/** Most token hashes in one query. */
const MAX_GATHERED = 500

interface Waiter {
  readonly resolve: (session: SessionWithUser | null) => void
  readonly reject: (error: unknown) => void
}

type Row = UserRow & { session_token_hash: string; session_last_seen_at: number }

/** Gathers session reads into few queries (PostgreSQL). */
export class GatheredSessionReads implements SessionReads {
  /** Reads asked for and not yet sent, by token hash. */
  private waiting = new Map<string, Waiter[]>()
  private scheduled = false
  private inFlight = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxInFlight = 2,
  ) {}

  /** @returns the session of `tokenHash` with its account, or null when there is none. */
  read(tokenHash: string): Promise<SessionWithUser | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(tokenHash)
      if (waiters === undefined) {
        this.waiting.set(tokenHash, [{ resolve, reject }])
      } else {
        waiters.push({ resolve, reject })
      }
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          this.send()
        })
      }
    })
  }

  /** Sends what waits, unless `maxInFlight` reads are under way (it goes when one returns). */
  private send(): void {
    while (this.waiting.size > 0 && this.inFlight < this.maxInFlight) {
      const taken = new Map<string, Waiter[]>()
      for (const [hash, waiters] of this.waiting) {
        if (taken.size >= MAX_GATHERED) {
          break
        }
        taken.set(hash, waiters)
      }
      for (const hash of taken.keys()) {
        this.waiting.delete(hash)
      }
      this.inFlight += 1
      void this.query(taken).finally(() => {
        this.inFlight -= 1
        this.send()
      })
    }
  }

  private async query(taken: ReadonlyMap<string, readonly Waiter[]>): Promise<void> {
    try {
      const { rows } = await sql<Row>`
        SELECT users.*, sessions.token_hash AS session_token_hash,
          sessions.last_seen_at AS session_last_seen_at
        FROM sessions JOIN users ON users.id = sessions.user_id
        WHERE sessions.token_hash = ANY(${[...taken.keys()]})`.execute(this.db)
      const found = new Map<string, SessionWithUser>()
      for (const row of rows) {
        const { session_token_hash: hash, session_last_seen_at: lastSeen, ...user } = row
        found.set(hash, { last_seen_at: Number(lastSeen), user })
      }
      for (const [hash, waiters] of taken) {
        const session = found.get(hash) ?? null
        waiters.forEach((waiter) => waiter.resolve(session))
      }
    } catch (error) {
      for (const waiters of taken.values()) {
        waiters.forEach((waiter) => waiter.reject(error))
      }
    }
  }
}
