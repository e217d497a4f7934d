/**
 * BodyLocks (server/policy/bodyLocks.ts) from the approvals tables: a document with a running
 * approval may have its body changed by the initiator before the first consent (or while it is back
 * with them) and by whoever holds the current stage; nobody else. Cached per loaded document,
 * refreshed after each approval commit on this node, and re-read in the background once older
 * than `ttlMs` (commits on other nodes).
 */
import type { Logger } from '../logger'
import type { BodyLocks } from '../policy/bodyLocks'
import type { Storage } from '../storage/Storage'
import { loadApproval } from './views'

/** Who may change the body of a document under a running approval; null: no approval runs. */
interface Rule {
  readonly editors: ReadonlySet<string>
}

interface Entry {
  rule: Rule | null
  at: number
  refreshing: boolean
}

/** Body locks of running approvals. */
export class ApprovalBodyLocks implements BodyLocks {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly ttlMs = 2000,
  ) {}

  async load(documentId: string): Promise<void> {
    this.entries.set(documentId, {
      rule: await this.read(documentId),
      at: Date.now(),
      refreshing: false,
    })
  }

  forget(documentId: string): void {
    this.entries.delete(documentId)
  }

  locked(documentId: string, userId: string): boolean {
    const entry = this.entries.get(documentId)
    if (entry === undefined) {
      return false
    }
    if (Date.now() - entry.at > this.ttlMs && !entry.refreshing) {
      void this.refresh(documentId)
    }
    return entry.rule !== null && !entry.rule.editors.has(userId)
  }

  /** Re-reads a loaded document's rule (after a commit). */
  async refresh(documentId: string): Promise<void> {
    const entry = this.entries.get(documentId)
    if (entry === undefined) {
      return
    }
    entry.refreshing = true
    try {
      entry.rule = await this.read(documentId)
      entry.at = Date.now()
    } catch (error) {
      this.logger.warn('approval body lock refresh failed', { documentId, error: String(error) })
    } finally {
      entry.refreshing = false
    }
  }

  private async read(documentId: string): Promise<Rule | null> {
    const rows = await this.storage.approvals.byDocument(documentId)
    const running = rows.filter((row) => row.status === 'running')
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
