/**
 * The approvals outbox: actions signed on this device while the relay could not be reached, kept in
 * localStorage (per account) and sent on reconnect in the order they were made. Each one is
 * already signed, so sending later changes nothing in it; the relay judges it on arrival (a stage
 * that moved on meanwhile records it as superseded, DESIGN §7).
 *
 * @example
 *   const outbox = new ApprovalOutbox(localStorageShelf(), me.id)
 *   outbox.add({ approvalId, actorId: me.id, request, queuedAt })
 *   const reports = await outbox.flush(sendOne)
 */
import type { z } from 'zod'
import type { ActRequestSchema } from '../../../../../shared/approvals'

/** The body of `POST /api/v1/approvals/<id>/actions`: a client action, its device, its signature. */
export type SignedRequest = z.infer<typeof ActRequestSchema>

/** One queued action. */
export interface OutboxItem {
  readonly approvalId: string
  /** Who signed it (the deputy when 代). */
  readonly actorId: string
  readonly request: SignedRequest
  /** ISO UTC ms. */
  readonly queuedAt: string
}

/** What the relay made of a sent item. */
export type SendResult =
  /** Recorded: applied, or superseded (its stage had moved on). */
  | { readonly kind: 'applied' | 'superseded' }
  /** Refused with an error code (not recorded); the item is dropped and the user told. */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  /** The relay could not be reached: the item stays, and so do those after it. */
  | { readonly kind: 'offline' }

/** One item's fate in a flush. */
export interface FlushReport {
  readonly item: OutboxItem
  readonly result: Exclude<SendResult, { kind: 'offline' }>
}

/** Where the queue is kept (a string under one key). */
export interface OutboxShelf {
  read(key: string): string | null
  write(key: string, value: string): void
}

/** The shelf of this browser profile. */
export function localStorageShelf(): OutboxShelf {
  return {
    read: (key) => localStorage.getItem(key),
    write: (key, value) => {
      localStorage.setItem(key, value)
    },
  }
}

function isItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const item = value as Partial<OutboxItem>
  return (
    typeof item.approvalId === 'string' &&
    typeof item.actorId === 'string' &&
    typeof item.queuedAt === 'string' &&
    typeof item.request === 'object' &&
    item.request !== null &&
    typeof item.request.signature === 'string' &&
    typeof item.request.deviceId === 'string' &&
    typeof item.request.action === 'object' &&
    typeof item.request.action.nonce === 'string'
  )
}

/** @returns the storage key of an account's outbox. */
export function outboxKey(userId: string): string {
  return `qilu:${userId}:approval-outbox`
}

/** The queue of one account on this device. */
export class ApprovalOutbox {
  private flushing: Promise<FlushReport[]> | null = null

  constructor(
    private readonly shelf: OutboxShelf,
    readonly userId: string,
  ) {}

  /** @returns the queued items, oldest first (of one approval when given). */
  list(approvalId?: string): OutboxItem[] {
    let parsed: unknown
    try {
      parsed = JSON.parse(this.shelf.read(outboxKey(this.userId)) ?? '[]')
    } catch {
      parsed = []
    }
    const items = Array.isArray(parsed) ? parsed.filter(isItem) : []
    return approvalId === undefined ? items : items.filter((item) => item.approvalId === approvalId)
  }

  /** Queues a signed action (a second one with the same nonce is ignored). */
  add(item: OutboxItem): void {
    const items = this.list()
    if (items.some((other) => other.request.action.nonce === item.request.action.nonce)) {
      return
    }
    this.save([...items, item])
  }

  /** Drops an item by its nonce. */
  remove(nonce: string): void {
    this.save(this.list().filter((item) => item.request.action.nonce !== nonce))
  }

  /**
   * Sends the queued items one at a time, oldest first, until the relay cannot be reached. Recorded
   * and refused items leave the queue (a `replayed` refusal means an earlier try was recorded: it
   * counts as delivered and is not reported). A flush already running is joined, not repeated.
   * @returns what became of each item that left the queue
   */
  flush(send: (item: OutboxItem) => Promise<SendResult>): Promise<FlushReport[]> {
    this.flushing ??= this.run(send).finally(() => {
      this.flushing = null
    })
    return this.flushing
  }

  private async run(send: (item: OutboxItem) => Promise<SendResult>): Promise<FlushReport[]> {
    const reports: FlushReport[] = []
    for (const item of this.list()) {
      const result = await send(item)
      if (result.kind === 'offline') {
        break
      }
      this.remove(item.request.action.nonce)
      if (result.kind === 'refused' && result.code === 'replayed') {
        continue
      }
      reports.push({ item, result })
    }
    return reports
  }

  private save(items: readonly OutboxItem[]): void {
    this.shelf.write(outboxKey(this.userId), JSON.stringify(items))
  }
}
