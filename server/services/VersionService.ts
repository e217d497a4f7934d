/**
 * Document versions (版本): automatic ones the relay takes after a quiet spell, named ones, and
 * restores of an old version as a new change on top. Each version stores the full Yjs state of the
 * gc:false room document and a Yjs snapshot, so a client can render any version and the 留痕
 * difference between two of them (y-prosemirror's snapshot rendering) with each author's colour.
 */
import * as Y from 'yjs'
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { VersionMeta, VersionRow, VersionStore } from '../storage/VersionStore'
import type { AuditEvent } from '../audit/events'
import type { Logger } from '../logger'
import type { RoomPort } from '../relay/ports'
import type { AuthorService } from './AuthorService'
import type { DocumentAuthor, DocumentVersion, VersionKind } from '../../shared/api'
import type { MemberRole } from '../../shared/domain/roles'
import { canEditBody } from '../../shared/domain/permissions'
import { docRoom } from '../../shared/protocol/rooms'
import { conflict, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import { colorFor } from '../../shared/domain/userColor'
import { buildRestore } from './restoreContent'
import { describeVersions, displayNames } from './versionViews'

/** A version's state as stored. */
export interface VersionState {
  readonly version: DocumentVersion
  readonly state: Uint8Array
  readonly snapshot: Uint8Array
}

/** When automatic versions are taken. */
export interface VersionTiming {
  /** A changed document that stays quiet this long gets a version (ms). */
  readonly quietMs: number
  /** At most one automatic version per document in this time (ms). */
  readonly minIntervalMs: number
}

/** Ten minutes between automatic versions, two minutes of quiet before one. */
export const DEFAULT_VERSION_TIMING: VersionTiming = {
  quietMs: 2 * 60_000,
  minIntervalMs: 10 * 60_000,
}

/** What a saved version records besides its state. */
interface VersionFields {
  readonly kind: VersionKind
  readonly name: string | null
  readonly createdBy: string | null
  readonly restoredFrom: string | null
}

/** Versions and authorship of documents. */
export class VersionService {
  /** Users who changed a document since its last version (this process). */
  private readonly changers = new Map<string, Set<string>>()

  constructor(
    private readonly storage: Storage,
    private readonly store: VersionStore,
    private readonly authorship: AuthorService,
    /** The live documents. */
    private readonly rooms: RoomPort,
    private readonly logger: Logger,
    readonly timing: VersionTiming = DEFAULT_VERSION_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes a change of a document (by a user, or by the server when `userId` is null). */
  noteChange(documentId: string, userId: string | null): void {
    let users = this.changers.get(documentId)
    if (users === undefined) {
      users = new Set()
      this.changers.set(documentId, users)
    }
    if (userId !== null) {
      users.add(userId)
    }
  }

  /** @returns whether a document changed since its last version (as far as this process saw). */
  hasChanges(documentId: string): boolean {
    return this.changers.has(documentId)
  }

  /**
   * Takes an automatic version of a live document if it changed and the last version is old enough.
   * @returns 'taken', 'clean', or the time (ms) from which a version would be allowed.
   */
  async takeAutomatic(documentId: string, doc: Y.Doc): Promise<'taken' | 'clean' | number> {
    if (!this.hasChanges(documentId)) {
      return 'clean'
    }
    const latest = await this.store.latest(documentId)
    if (latest !== null && this.now() - latest.created_at < this.timing.minIntervalMs) {
      return latest.created_at + this.timing.minIntervalMs
    }
    if ((await this.storage.documents.byId(documentId)) === null) {
      this.changers.delete(documentId)
      return 'clean'
    }
    await this.save(documentId, doc, {
      kind: 'auto',
      name: null,
      createdBy: null,
      restoredFrom: null,
    })
    return 'taken'
  }

  /** @returns the versions of a document, newest first. @throws DomainError 403/404 */
  async list(user: UserRow, documentId: string): Promise<DocumentVersion[]> {
    await this.role(user, documentId)
    return describeVersions(this.storage, await this.store.list(documentId, 500))
  }

  /** @returns one version with its state. @throws DomainError 403/404 */
  async get(user: UserRow, documentId: string, versionId: string): Promise<VersionState> {
    await this.role(user, documentId)
    const row = await this.store.byId(documentId, versionId)
    if (row === null) {
      throw notFound('版本')
    }
    const [version] = await describeVersions(this.storage, [row])
    if (version === undefined) {
      throw notFound('版本')
    }
    return { version, state: row.state, snapshot: row.snapshot }
  }

  /** @returns the live state of a document (full history, gc:false) and its snapshot. */
  async current(
    user: UserRow,
    documentId: string,
  ): Promise<{ state: Uint8Array; snapshot: Uint8Array }> {
    await this.role(user, documentId)
    return this.withLive(documentId, (doc) => ({
      state: Y.encodeStateAsUpdate(doc),
      snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
    }))
  }

  /** Saves the live document as a named version. @throws DomainError 403 unless an editor or the owner */
  async name(
    user: UserRow,
    documentId: string,
    name: string,
    ip: string | null,
  ): Promise<DocumentVersion> {
    await this.requireEditor(user, documentId)
    const row = await this.saveLive(
      documentId,
      { kind: 'named', name, createdBy: user.id, restoredFrom: null },
      (saved) => ({
        actor: { id: user.id, name: user.display_name },
        action: 'doc.version_named',
        target: documentId,
        detail: { versionId: saved.id, name },
        ip,
      }),
    )
    return this.one(row)
  }

  /**
   * Restores an old version as a new change on top of the live document: the current state is kept
   * as a version first (when it changed), the restore is applied through the relay like any edit,
   * and the result is saved as a 'restore' version. @throws DomainError 403/404
   */
  async restore(
    user: UserRow,
    documentId: string,
    versionId: string,
    ip: string | null,
  ): Promise<DocumentVersion> {
    await this.requireEditor(user, documentId)
    const target = await this.store.byId(documentId, versionId)
    if (target === null) {
      throw notFound('版本')
    }
    const label = target.name ?? new Date(target.created_at).toISOString()
    const latest = await this.store.latest(documentId)
    const moved = await this.withLive(documentId, (doc) => {
      if (latest === null) {
        return true
      }
      const sv = Y.decodeSnapshot(latest.snapshot).sv
      return [...Y.snapshot(doc).sv].some(([client, clock]) => clock > (sv.get(client) ?? 0))
    })
    if (moved || this.hasChanges(documentId)) {
      await this.saveLive(documentId, {
        kind: 'auto',
        name: '恢复前自动保存',
        createdBy: null,
        restoredFrom: null,
      })
    }
    let restoredTitle: unknown = null
    await this.rooms.apply(docRoom(documentId), (doc) => {
      const change = buildRestore(Y.encodeStateAsUpdate(doc), target.state)
      restoredTitle = change.title
      Y.applyUpdate(doc, change.update)
      this.authorship.record(
        documentId,
        user.id,
        [change.clientId],
        change.deletions.clients.size > 0 ? change.deletions : null,
      )
    })
    this.noteChange(documentId, user.id)
    const title =
      typeof restoredTitle === 'string' && restoredTitle.trim() !== '' ? restoredTitle.trim() : null
    const row = await this.saveLive(
      documentId,
      { kind: 'restore', name: `恢复至：${label}`, createdBy: user.id, restoredFrom: versionId },
      (saved) => ({
        actor: { id: user.id, name: user.display_name },
        action: 'doc.version_restored',
        target: documentId,
        detail: { versionId, newVersionId: saved.id },
        ip,
      }),
      title === null ? undefined : { title, updated_at: this.now() },
    )
    return this.one(row)
  }

  /** @returns the authors of a document with their client ids and deletions. @throws DomainError 403/404 */
  async authors(user: UserRow, documentId: string): Promise<DocumentAuthor[]> {
    await this.role(user, documentId)
    const records = await this.authorship.authors(documentId)
    const people = await displayNames(
      this.storage,
      records.map((r) => r.userId),
    )
    return records.map((r) => ({
      userId: r.userId,
      displayName: people.get(r.userId) ?? r.userId,
      color: colorFor(r.userId),
      clientIds: r.clientIds,
      deletions: Buffer.from(r.deletions).toString('base64'),
    }))
  }

  /**
   * Saves the live document as a version; with `audit`, in one unit of work with its audit entry
   * (and the document's new title, when a restore brought one back).
   */
  private async saveLive(
    documentId: string,
    fields: VersionFields,
    audit?: (row: VersionMeta) => AuditEvent,
    document?: { readonly title: string; readonly updated_at: number },
  ): Promise<VersionMeta> {
    const state = await this.withLive(documentId, (doc) => ({
      update: Y.encodeStateAsUpdate(doc),
      snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
    }))
    const row = await this.versionRow(documentId, state.update, state.snapshot, fields)
    await this.storage.unitOfWork(async (uow) => {
      if (document !== undefined) {
        await uow.documents.update(documentId, document)
      }
      await uow.versions.insert(row)
      if (audit !== undefined) {
        uow.audit(audit(row))
      }
    })
    this.logSaved(documentId, row)
    return row
  }

  private async save(documentId: string, doc: Y.Doc, fields: VersionFields): Promise<VersionMeta> {
    const row = await this.versionRow(
      documentId,
      Y.encodeStateAsUpdate(doc),
      Y.encodeSnapshot(Y.snapshot(doc)),
      fields,
    )
    await this.store.insert(row)
    this.logSaved(documentId, row)
    return row
  }

  /** @returns the row of a new version, with the users who wrote since the previous one. */
  private async versionRow(
    documentId: string,
    state: Uint8Array,
    snapshot: Uint8Array,
    fields: VersionFields,
  ): Promise<VersionRow> {
    // Taken out now: changes noted while this version is being saved belong to the next one.
    const changed = this.changers.get(documentId) ?? new Set<string>()
    this.changers.delete(documentId)
    const authors = await this.authorsSince(documentId, snapshot, changed)
    return {
      id: newId(),
      document_id: documentId,
      kind: fields.kind,
      name: fields.name,
      state,
      snapshot,
      authors: JSON.stringify(authors),
      created_by: fields.createdBy,
      restored_from: fields.restoredFrom,
      created_at: this.now(),
    }
  }

  private logSaved(documentId: string, row: VersionRow): void {
    this.logger.debug('version saved', { documentId, kind: row.kind, bytes: row.state.length })
  }

  /** Users whose client ids advanced since the previous version, plus those seen changing it. */
  private async authorsSince(
    documentId: string,
    snapshot: Uint8Array,
    changed: ReadonlySet<string>,
  ): Promise<string[]> {
    const previous = await this.store.latest(documentId)
    const before =
      previous === null ? new Map<number, number>() : Y.decodeSnapshot(previous.snapshot).sv
    const advanced = new Set<number>()
    for (const [client, clock] of Y.decodeSnapshot(snapshot).sv) {
      if (clock > (before.get(client) ?? 0)) {
        advanced.add(client)
      }
    }
    const users = new Set(changed)
    if (advanced.size > 0) {
      await this.authorship.flush()
      for (const row of await this.store.clients(documentId)) {
        if (advanced.has(row.client_id)) {
          users.add(row.user_id)
        }
      }
    }
    return [...users]
  }

  /** Runs `read` on the live room document (loading the room when it is not in memory). */
  private withLive<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.rooms.read(docRoom(documentId), read)
  }

  private async one(row: VersionMeta): Promise<DocumentVersion> {
    const [version] = await describeVersions(this.storage, [row])
    if (version === undefined) {
      throw notFound('版本')
    }
    return version
  }

  private async role(user: UserRow, documentId: string): Promise<MemberRole> {
    const role = await this.storage.documents.memberRole(documentId, user.id)
    if (role !== null) {
      return role
    }
    const row = await this.storage.documents.byId(documentId)
    if (row === null || row.deleted_at !== null) {
      throw notFound('文档')
    }
    throw forbidden('无权访问该文档 (no access to this document)')
  }

  private async requireEditor(user: UserRow, documentId: string): Promise<void> {
    if (!canEditBody(await this.role(user, documentId))) {
      throw forbidden(
        '只有编辑者和所有者可以保存或恢复版本 (only editors may save or restore versions)',
      )
    }
    if (((await this.storage.documents.lifecycle(documentId))?.archivedAt ?? null) !== null) {
      throw conflict('文档已归档，不能保存或恢复版本')
    }
  }
}
