/**
 * Who reads a document because of a running approval on it, without being one of its members: a
 * person who must act on its current stage now, or a deputy (代) in force of such a person whose
 * delegation covers that stage. They read (never write) the `doc:<id>` room, the document and its
 * digest. Decided at read time — the relay asks at each upgrade and re-check, the HTTP routes on
 * each request — so the right ends the moment the stage moves on or the delegation ends (the
 * approvals module then has the relay re-check the document's sockets). Each grant is audited once
 * per person, document, approval and leader (`acl.approval_read`) on this node.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { Deputies } from './Deputies'

/** Why someone reads a document they are no member of. */
export interface ApprovalReadGrant {
  readonly approvalId: string
  /** The leader they act for (代); null when they must act themselves. */
  readonly onBehalfOf: string | null
}

/** Grants audited on this node; cleared when it grows past this. */
const AUDITED_MAX = 10_000

/** Reads through a running approval. */
export class DocumentReaders {
  private readonly audited = new Set<string>()

  constructor(
    private readonly storage: Storage,
    private readonly deputies: Deputies,
    private readonly audit: AuditService,
  ) {}

  /** @returns the grant by which `userId` reads the document now, or null. */
  async grantOf(documentId: string, userId: string): Promise<ApprovalReadGrant | null> {
    const rows = await this.storage.approvals.byDocument(documentId)
    for (const row of rows) {
      if (row.status !== 'running') {
        continue
      }
      if ((await this.storage.approvals.pendingOf(row.id, [userId])).length > 0) {
        return { approvalId: row.id, onBehalfOf: null }
      }
      const leader = await this.deputies.actsFor(row.id, userId)
      if (leader !== null) {
        return { approvalId: row.id, onBehalfOf: leader }
      }
    }
    return null
  }

  /** @returns whether `userId` reads the document through an approval now (audited). */
  async mayRead(documentId: string, userId: string): Promise<boolean> {
    const grant = await this.grantOf(documentId, userId)
    if (grant === null) {
      return false
    }
    const key = `${userId}/${documentId}/${grant.approvalId}/${grant.onBehalfOf ?? ''}`
    if (!this.audited.has(key)) {
      await this.audit.record({
        actor: { id: null, name: 'system' },
        action: 'acl.approval_read',
        target: documentId,
        detail: {
          approvalId: grant.approvalId,
          userId,
          onBehalfOf: grant.onBehalfOf,
          role: 'reader',
        },
        ip: null,
      })
      if (this.audited.size >= AUDITED_MAX) {
        this.audited.clear()
      }
      this.audited.add(key)
    }
    return true
  }
}
