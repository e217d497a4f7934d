/**
 * A document's life after creation: the 回收站 (delete and restore) and 归档 (archive: read-only
 * for everyone). Only the owner or a sysadmin does either; every change is audited in the same
 * transaction as the row it changes. The relay follows at once: a deleted document's sockets close
 * (4403 document_deleted) and its room refuses new ones; an archived document's sockets close
 * (4403 document_archived) and reopen read-only. The approvals engine's 归档 stage archives a 公文
 * through `archiveInWork`, the same state and the same audit action.
 *
 * Retention: a document stays in the 回收站 until its owner or a sysadmin restores it; nothing is
 * purged automatically (a 公文's record must not vanish by a timer).
 */
import type { DocumentSummary, TrashedDocument } from '../../shared/api'
import { parseRoles } from './accountViews'
import type { Storage } from '../storage/Storage'
import type { UnitOfWork } from '../storage/UnitOfWork'
import type { UserRow } from '../storage/users/UserStore'
import type { DocumentRow } from '../storage/documents/DocumentStore'
import type { RelayControl } from '../relay/ports'
import type { AuditActor } from '../audit/events'
import { conflict, forbidden, notFound } from '../domain/errors'
import { toSummary } from './DocumentService'

/** Who changed a document's life, as the audit log records it. */
export interface LifecycleActor {
  readonly actor: AuditActor
  readonly ip?: string | null
}

/**
 * Archives a document inside a unit of work (the caller commits it, then calls
 * `RelayControl.documentLifecycle(id, 'archived')`).
 * @param detail what caused it (`{ approvalId }` for the approvals engine's 归档)
 * @returns false when it was archived already, or is gone
 */
export async function archiveInWork(
  uow: UnitOfWork,
  documentId: string,
  by: LifecycleActor,
  now: number,
  detail: Record<string, unknown> = {},
): Promise<boolean> {
  const row = await uow.documents.byId(documentId)
  if (row === null || row.archived_at !== null) {
    return false
  }
  await uow.documents.update(documentId, { archived_at: now, archived_by: by.actor.id })
  uow.audit({
    actor: by.actor,
    action: 'doc.archive',
    target: documentId,
    detail: { title: row.title, ...detail },
    ip: by.ip ?? null,
  })
  return true
}

/** 回收站 and 归档. */
export class DocumentLifecycle {
  constructor(
    private readonly storage: Storage,
    private readonly control: RelayControl,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Puts a document in the 回收站: it vanishes from every list, search and room; its content,
   * members and versions stay for a restore.
   * @throws DomainError 404 unknown (or already deleted), 403 unless owner or sysadmin
   */
  async remove(user: UserRow, id: string, ip: string | null = null): Promise<void> {
    await this.authorize(user, id, 'delete')
    const approvals = await this.storage.approvals.byDocument(id)
    if (approvals.some((approval) => approval.status === 'running')) {
      // Its approvers hold it now: withdraw the approval first.
      throw conflict('该公文正在审批中，请先撤回审批再删除')
    }
    await this.storage.unitOfWork(async (uow) => {
      const row = await uow.documents.byId(id)
      if (row === null || row.deleted_at !== null) {
        throw notFound('文档')
      }
      await uow.documents.update(id, { deleted_at: this.now(), deleted_by: user.id })
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'doc.delete',
        target: id,
        detail: { title: row.title },
        ip,
      })
    })
    this.control.documentLifecycle(id, 'deleted')
  }

  /**
   * Brings a document back from the 回收站, as it was: content, members, versions, 归档.
   * @throws DomainError 404 unknown or not deleted, 403 unless owner or sysadmin
   */
  async restore(user: UserRow, id: string, ip: string | null = null): Promise<DocumentSummary> {
    await this.authorize(user, id, 'restore')
    const row = await this.storage.unitOfWork(async (uow) => {
      const found = await uow.documents.byId(id)
      if (found === null || found.deleted_at === null) {
        throw notFound('回收站中的文档')
      }
      await uow.documents.update(id, { deleted_at: null, deleted_by: null })
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'doc.restore',
        target: id,
        detail: { title: found.title },
        ip,
      })
      return found
    })
    return this.summaryFor(user, { ...row, deleted_at: null, deleted_by: null })
  }

  /**
   * Archives a document (归档): read-only for everyone from now on. Archiving an archived
   * document answers it as it is (nothing is audited twice).
   * @throws DomainError 404 unknown or deleted, 403 unless owner or sysadmin
   */
  async archive(user: UserRow, id: string, ip: string | null = null): Promise<DocumentSummary> {
    const now = this.now()
    await this.authorize(user, id, 'archive')
    const { row, changed } = await this.storage.unitOfWork(async (uow) => {
      const found = await uow.documents.byId(id)
      if (found === null || found.deleted_at !== null) {
        throw notFound('文档')
      }
      const by = { actor: { id: user.id, name: user.display_name }, ip }
      return { row: found, changed: await archiveInWork(uow, id, by, now) }
    })
    if (changed) {
      this.control.documentLifecycle(id, 'archived')
    }
    return this.summaryFor(user, changed ? { ...row, archived_at: now } : row)
  }

  /** The 回收站: the caller's deleted documents (a sysadmin's: everyone's). */
  async trash(user: UserRow): Promise<TrashedDocument[]> {
    const sysadmin = parseRoles(user.roles).includes('sysadmin')
    const rows = await this.storage.documents.trash(sysadmin ? null : user.id)
    return rows.map((row) => ({
      ...toSummary({ ...row, role: row.owner_id === user.id ? 'owner' : 'reader' }),
      deletedAt: new Date(row.deleted_at ?? 0).toISOString(),
      deletedByName: row.deleted_by_name,
    }))
  }

  /**
   * Lets `user` change the document's life when they own it or are a sysadmin; a refusal is
   * audited. A document in the 回收站 is unknown to anyone but its owner and sysadmins.
   * @throws DomainError 404 unknown, 403 refused
   */
  private async authorize(
    user: UserRow,
    id: string,
    what: 'delete' | 'restore' | 'archive',
  ): Promise<void> {
    const row = await this.storage.documents.byId(id)
    const owner = row?.owner_id === user.id
    const sysadmin = parseRoles(user.roles).includes('sysadmin')
    if (row === null || (row.deleted_at !== null && !owner && !sysadmin)) {
      throw notFound('文档')
    }
    if (owner || sysadmin) {
      return
    }
    await this.storage.unitOfWork(async (uow) => {
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'doc.lifecycle_refused',
        target: id,
        detail: { what },
      })
    })
    throw forbidden(
      what === 'archive' ? '只有文档所有者可以归档文档' : '只有文档所有者可以删除或恢复文档',
    )
  }

  private async summaryFor(user: UserRow, row: DocumentRow): Promise<DocumentSummary> {
    const owner = await this.storage.users.byId(row.owner_id)
    const role = (await this.storage.documents.memberRole(row.id, user.id)) ?? 'reader'
    return toSummary({ ...row, role, owner_name: owner?.display_name ?? '' })
  }
}
