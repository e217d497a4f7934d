/** Documents' authoritative side: creation, titles and the per-document ACL. */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { DocumentWithRole } from '../storage/documents/DocumentStore'
import type { ProjectionReaders, RelayControl, RoomEvents } from '../relay/ports'
import type { DocumentMember, DocumentSummary, DocumentUnitMember } from '../../shared/api'
import { pathIds } from '../../shared/domain/org'
import type { MemberRole } from '../../shared/domain/roles'
import { canEditBody, canManageMembers } from '../../shared/domain/permissions'
import { conflict, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import { parseRoles } from './accountViews'
import * as Y from 'yjs'
import type { DocTypeId } from '../../shared/gongwen/docTypes'
import { templateFor } from '../../shared/gongwen/templates'
import { seedFromTemplate } from '../../shared/gongwen/yBody'
import { docRoom } from '../../shared/protocol/rooms'
import type { DocumentNotices } from './DocumentNotices'

/** @returns the API shape of a document row seen by a member. */
export function toSummary(row: DocumentWithRole): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    docType: row.doc_type ?? null,
    archivedAt:
      row.archived_at === null || row.archived_at === undefined
        ? null
        : new Date(row.archived_at).toISOString(),
  }
}

/** How often a document's `updated_at` follows its edits (ms). */
const TOUCH_EVERY_MS = 60_000

/** Document metadata and membership. */
export class DocumentService {
  /** When each document's `updated_at` was last written by `follow`. */
  private readonly touched = new Map<string, number>()
  /** Who reads documents through a feature's ACL (approvals, a meeting's agenda and materials). */
  private readers: ProjectionReaders | undefined
  /** Who tells people they were added to a document (none in tests that need no inbox). */
  private notices: Pick<DocumentNotices, 'memberAdded'> | null = null

  constructor(
    private readonly storage: Storage,
    private readonly control: RelayControl,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tells people from now on when they are added to a document. */
  notifyWith(notices: Pick<DocumentNotices, 'memberAdded'>): void {
    this.notices = notices
  }

  /**
   * Creates a document owned by `owner`. With a 文种, its room starts from that type's template
   * (meta and body, 发文机关 from the owner's unit), stored with the document in one transaction,
   * so the first opener loads it like any saved content.
   */
  async create(
    owner: UserRow,
    title: string,
    docType?: DocTypeId,
    ip: string | null = null,
    clientId?: string,
    offline = false,
  ): Promise<DocumentSummary> {
    if (clientId !== undefined) {
      const existing = await this.storage.documents.byId(clientId)
      if (existing !== null) {
        // A retry of a document created offline: the first request created it.
        if (existing.owner_id === owner.id && existing.deleted_at === null) {
          return this.get(owner, clientId)
        }
        throw conflict('该文档编号已被占用')
      }
    }
    const now = this.now()
    const id = clientId ?? newId()
    const doc_type = docType ?? null
    // A document created offline brings its content, template included, when its client syncs:
    // seeding it here as well would give it the template twice.
    const seed = docType === undefined || offline ? null : await this.seed(owner, title, docType)
    await this.storage.unitOfWork(async (uow) => {
      if (seed !== null) {
        await uow.rooms.appendEntries([{ room: docRoom(id), update: seed }], now)
      }
      await uow.documents.insert({
        id,
        title,
        owner_id: owner.id,
        created_at: now,
        updated_at: now,
        doc_type,
      })
      await uow.documents.setMember(id, owner.id, 'owner')
      uow.audit({
        actor: { id: owner.id, name: owner.display_name },
        action: 'doc.create',
        target: id,
        detail: { title, docType: doc_type, ...(offline ? { offline: true } : {}) },
        ip,
      })
    })
    return toSummary({
      id,
      title,
      owner_id: owner.id,
      created_at: now,
      updated_at: now,
      doc_type,
      archived_at: null,
      role: 'owner',
      owner_name: owner.display_name,
    })
  }

  /** @returns a new document's room content from a template, as one update. */
  private async seed(owner: UserRow, title: string, docType: DocTypeId): Promise<Uint8Array> {
    const unit = owner.unit_id === null ? null : await this.storage.org.unitById(owner.unit_id)
    const doc = new Y.Doc()
    try {
      seedFromTemplate(doc, templateFor(docType, { title, issuingAuthority: unit?.name ?? '' }))
      return Y.encodeStateAsUpdate(doc)
    } finally {
      doc.destroy()
    }
  }

  /** The documents `user` is a member of, newest first. */
  async list(user: UserRow): Promise<DocumentSummary[]> {
    return (await this.storage.documents.ofUser(user.id)).map(toSummary)
  }

  /**
   * @returns the document as `user` sees it; a non-member who reads it through a feature (an
   *   assignee of a running approval or their deputy, a meeting's invitee) sees it as a `reader`.
   * @throws DomainError 404 when it does not exist, 403 when the user may not read it.
   */
  async get(user: UserRow, id: string): Promise<DocumentSummary> {
    const { role } = await this.access(user, id)
    const doc = await this.storage.documents.byId(id)
    const owner = doc === null ? null : await this.storage.users.byId(doc.owner_id)
    if (doc === null || owner === null) {
      throw notFound('文档')
    }
    return toSummary({ ...doc, role, owner_name: owner.display_name })
  }

  /** Renames a document. @throws DomainError 403 unless the user may edit it. */
  async rename(user: UserRow, id: string, title: string): Promise<DocumentSummary> {
    const { role } = await this.access(user, id)
    if (!canEditBody(role)) {
      throw forbidden('只有编辑者可以修改标题 (only editors may rename)')
    }
    if (((await this.storage.documents.lifecycle(id))?.archivedAt ?? null) !== null) {
      throw conflict('文档已归档，不能修改')
    }
    await this.storage.documents.update(id, { title, updated_at: this.now() })
    return this.get(user, id)
  }

  /** @returns the members of a document. */
  async members(user: UserRow, id: string): Promise<DocumentMember[]> {
    await this.access(user, id)
    return (await this.storage.documents.members(id)).map((m) => ({
      userId: m.user_id,
      username: m.username,
      displayName: m.display_name,
      role: m.role,
    }))
  }

  /** Grants or changes a member's role. @throws DomainError 403 unless the caller manages members. */
  async setMember(
    user: UserRow,
    id: string,
    memberId: string,
    role: Exclude<MemberRole, 'owner'>,
  ): Promise<DocumentMember> {
    await this.requireManager(user, id)
    const member = await this.storage.users.byId(memberId)
    if (member === null || member.active !== 1) {
      throw notFound('用户')
    }
    const doc = await this.storage.documents.byId(id)
    if (doc?.owner_id === memberId) {
      throw conflict('不能更改文档所有者的角色 (the owner keeps their role)')
    }
    const before = await this.storage.documents.memberRole(id, memberId)
    await this.storage.unitOfWork(async (uow) => {
      await uow.documents.setMember(id, memberId, role)
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'acl.member_set',
        target: id,
        detail: { userId: memberId, role },
      })
    })
    this.control.memberChanged(id, memberId)
    if (before === null && doc !== null) {
      // A notice that fails must not undo the grant, which is committed and audited.
      await this.notices
        ?.memberAdded(
          { documentId: id, actor: { id: user.id, name: user.display_name }, title: doc.title },
          memberId,
          role,
        )
        .catch(() => false)
    }
    return { userId: member.id, username: member.username, displayName: member.display_name, role }
  }

  /** Removes a member. */
  async removeMember(user: UserRow, id: string, memberId: string): Promise<void> {
    await this.requireManager(user, id)
    const doc = await this.storage.documents.byId(id)
    if (doc?.owner_id === memberId) {
      throw conflict('不能移除文档所有者 (the owner cannot be removed)')
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.documents.removeMember(id, memberId)
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'acl.member_removed',
        target: id,
        detail: { userId: memberId },
      })
    })
    this.control.memberChanged(id, memberId)
  }

  /** @returns the units granted a role on a document. */
  async unitMembers(user: UserRow, id: string): Promise<DocumentUnitMember[]> {
    await this.access(user, id)
    return (await this.storage.documents.unitAccess.list(id)).map((row) => ({
      unitId: row.unit_id,
      unitName: row.unit_name,
      path: pathIds(row.unit_path),
      role: row.role,
    }))
  }

  /**
   * Grants a unit a role on a document: every active account posted in the unit or below it gets
   * the role unless it holds a personal one. @throws DomainError 403 unless the caller manages members
   */
  async setUnitMember(
    user: UserRow,
    id: string,
    unitId: string,
    role: Exclude<MemberRole, 'owner'>,
  ): Promise<DocumentUnitMember> {
    await this.requireManager(user, id)
    const unit = await this.storage.org.unitById(unitId)
    if (unit === null) {
      throw notFound('单位')
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.documents.unitAccess.set(id, unitId, role, this.now())
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'acl.unit_member_set',
        target: id,
        detail: { unitId, unitName: unit.name, role },
      })
    })
    // Raising or lowering a unit's role changes the access of sockets already in the room.
    this.control.unitAccessChanged(id)
    return { unitId, unitName: unit.name, path: pathIds(unit.path), role }
  }

  /** Withdraws a unit's role. @throws DomainError 404 when the unit held none */
  async removeUnitMember(user: UserRow, id: string, unitId: string): Promise<void> {
    await this.requireManager(user, id)
    await this.storage.unitOfWork(async (uow) => {
      if (!(await uow.documents.unitAccess.remove(id, unitId))) {
        throw notFound('单位成员')
      }
      uow.audit({
        actor: { id: user.id, name: user.display_name },
        action: 'acl.unit_member_removed',
        target: id,
        detail: { unitId },
      })
    })
    this.control.unitAccessChanged(id)
  }

  /**
   * Keeps each document's `updated_at` (the list's sort order) following its stored content: at
   * most once a minute per document is plenty.
   */
  follow(events: RoomEvents): void {
    events.onDocumentStored(({ documentId }) => {
      const now = this.now()
      if (now - (this.touched.get(documentId) ?? 0) <= TOUCH_EVERY_MS) {
        return
      }
      this.touched.set(documentId, now)
      void this.touch(documentId).catch(() => {})
    })
  }

  /** Records that a document's content changed (for sorting by last update). */
  async touch(id: string): Promise<void> {
    await this.storage.documents.update(id, { updated_at: this.now() })
  }

  /** Gives the features' readers (built after this service): they grant read access only. */
  useReaders(readers: ProjectionReaders): void {
    this.readers = readers
  }

  /**
   * @returns whether `user` reads the document through a feature's ACL (a running approval they
   *   must act on, a meeting's agenda and materials).
   */
  async readsThroughFeature(user: UserRow, id: string): Promise<boolean> {
    return this.readers !== undefined && this.readers.mayRead({ kind: 'doc', id }, user.id)
  }

  private async access(user: UserRow, id: string): Promise<{ role: MemberRole }> {
    const role = await this.storage.documents.memberRole(id, user.id)
    if (role !== null) {
      return { role }
    }
    const row = await this.storage.documents.byId(id)
    if (row === null || row.deleted_at !== null) {
      throw notFound('文档')
    }
    if (await this.readsThroughFeature(user, id)) {
      return { role: 'reader' }
    }
    throw forbidden('无权访问该文档 (no access to this document)')
  }

  private async requireManager(user: UserRow, id: string): Promise<void> {
    const role = await this.storage.documents.memberRole(id, user.id)
    const row = role === null ? await this.storage.documents.byId(id) : null
    if (role === null && (row === null || row?.deleted_at !== null)) {
      throw notFound('文档')
    }
    if (!canManageMembers(role, parseRoles(user.roles))) {
      throw forbidden('只有文档所有者可以管理成员 (only the owner manages members)')
    }
  }
}
