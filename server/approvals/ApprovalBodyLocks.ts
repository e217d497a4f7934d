/**
 * BodyLocks (server/policy/bodyLocks.ts) from the approvals tables: a document with a running
 * approval may have its body changed by the initiator before the first consent (or while it is back
 * with them) and by whoever holds the current stage; nobody else. Cached per loaded document,
 * refreshed after each approval commit on this node, and re-read in the background once older
 * than `ttlMs` (commits on other nodes): one sweep re-reads every loaded document with one query
 * (per 256 documents), not a query per document and update.
 */
import type { Logger } from '../logger'
import type { BodyLocks } from '../policy/bodyLocks'
import type { Storage } from '../storage/Storage'
import type { ApprovalRow } from '../storage/approvals/ApprovalStore'
import { loadApproval } from './views'

/** Who may change the body of a document under a running approval; null: no approval runs. */
interface Rule {
  readonly editors: ReadonlySet<string>
}

interface Entry {
  rule: Rule | null
  /** When the read behind `rule` started (Date.now()): it saw every commit before that. */
  at: number
}

/** Body locks of running approvals. */
export class ApprovalBodyLocks implements BodyLocks {
  private readonly entries = new Map<string, Entry>()
  private sweeping = false
  private lastSweep = Date.now()

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly ttlMs = 2000,
  ) {}

  async load(documentId: string): Promise<void> {
    const at = Date.now()
    const rule = await this.read(await this.storage.approvals.runningOf([documentId]))
    this.entries.set(documentId, { rule, at })
  }

  forget(documentId: string): void {
    this.entries.delete(documentId)
  }

  locked(documentId: string, userId: string): boolean {
    const entry = this.entries.get(documentId)
    if (entry === undefined) {
      return false
    }
    if (Date.now() - this.lastSweep > this.ttlMs && !this.sweeping) {
      void this.sweep()
    }
    return entry.rule !== null && !entry.rule.editors.has(userId)
  }

  /**
   * Whether an approval runs on each of some documents, as read after each one's `since` (ms):
   * from the cache where it is that fresh, else re-read together (one query per 256 documents).
   * @param due document ids and the time each answer must be read after
   * @returns the answers for the documents loaded here (the caller reads the store for the rest)
   */
  async runningOf(due: ReadonlyMap<string, number>): Promise<Map<string, boolean>> {
    const stale: string[] = []
    for (const [documentId, since] of due) {
      const entry = this.entries.get(documentId)
      if (entry !== undefined && entry.at < since) {
        stale.push(documentId)
      }
    }
    await this.reread(stale)
    const answers = new Map<string, boolean>()
    for (const [documentId, since] of due) {
      const entry = this.entries.get(documentId)
      if (entry !== undefined && entry.at >= since) {
        answers.set(documentId, entry.rule !== null)
      }
    }
    return answers
  }

  /** Re-reads a loaded document's rule (after a commit). */
  async refresh(documentId: string): Promise<void> {
    if (!this.entries.has(documentId)) {
      return
    }
    try {
      await this.reread([documentId])
    } catch (error) {
      this.logger.warn('approval body lock refresh failed', { documentId, error: String(error) })
    }
  }

  /** Re-reads every loaded document (one query per 256 of them). */
  private async sweep(): Promise<void> {
    this.sweeping = true
    this.lastSweep = Date.now()
    try {
      await this.reread([...this.entries.keys()])
    } catch (error) {
      this.logger.warn('approval body lock refresh failed', { error: String(error) })
    } finally {
      this.sweeping = false
    }
  }

  private async reread(documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) {
      return
    }
    const at = Date.now()
    const byDocument = new Map<string, ApprovalRow[]>()
    for (const row of await this.storage.approvals.runningOf(documentIds)) {
      if (row.document_id !== null) {
        byDocument.set(row.document_id, [...(byDocument.get(row.document_id) ?? []), row])
      }
    }
    for (const documentId of documentIds) {
      const rule = await this.read(byDocument.get(documentId) ?? [])
      const entry = this.entries.get(documentId)
      // A newer read (a refresh after a commit) is kept; a forgotten document stays forgotten.
      if (entry !== undefined && entry.at <= at) {
        entry.rule = rule
        entry.at = at
      }
    }
  }

  private async read(running: readonly ApprovalRow[]): Promise<Rule | null> {
    if (running.length === 0) {
      return null
    }
    const editors = new Set<string>()
    for (const row of running) {
      const loaded = await loadApproval(this.storage, row.id)
      if (loaded === null) {
        continue
      }
      const { state, instance } = loaded
      state.pending.forEach((user) => editors.add(user))
      const consented = state.stages.some((stage) => stage.consents.length > 0)
      if (!consented) {
        editors.add(instance.initiatorId)
      }
    }
    return { editors }
  }
}
