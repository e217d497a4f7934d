/**
 * Bulk account import: every row is validated before anything is written; the errors come back with
 * row numbers and reasons (and as a downloadable report); the valid rows are then committed in
 * chunks while progress is recorded, and the new accounts' activation codes are offered once.
 * Activation codes are random and high-entropy, so storing their SHA-256 costs microseconds per row.
 */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { PostRow, UnitRow } from '../storage/OrgStore'
import type { AuditService } from '../audit/AuditService'
import type { RequestActor } from '../services/actor'
import type { Logger } from '../logger'
import type { AccountRole } from '../../shared/domain/roles'
import { ACCOUNT_ROLES } from '../../shared/domain/roles'
import { canAdministerUnit, canGrantRoles } from '../../shared/domain/org'
import { badRequest, conflict, forbidden, notFound } from '../domain/errors'
import { hashSecret, newActivationCode, newId } from '../auth/secrets'
import { nameIndex } from '../services/nameIndex'
import { parseCsv, parseXlsx, toCsv } from './tabular'
import { unpackMessage, xlsxUnpackProblem } from './unpackCheck'
import type { DirectoryService } from '../services/DirectoryService'

/** One invalid row. */
export interface ImportError {
  /** 1-based row number in the file, the header being row 1. */
  readonly row: number
  readonly username: string
  readonly reason: string
}

/** A validated row ready to be created. */
interface ValidRow {
  readonly row: number
  readonly username: string
  readonly displayName: string
  readonly unitId: string
  readonly post: string
  readonly roles: AccountRole[]
  readonly phone: string | null
}

/** The state of an import as the client polls it. */
export interface ImportStatus {
  readonly id: string
  readonly status: 'validated' | 'running' | 'done' | 'failed'
  readonly total: number
  readonly done: number
}

const HEADERS: Record<
  string,
  keyof Omit<ValidRow, 'row' | 'unitId' | 'roles'> | 'unitCode' | 'roles'
> = {
  用户名: 'username',
  username: 'username',
  姓名: 'displayName',
  displayname: 'displayName',
  name: 'displayName',
  单位代码: 'unitCode',
  unitcode: 'unitCode',
  unit: 'unitCode',
  职务: 'post',
  post: 'post',
  角色: 'roles',
  roles: 'roles',
  手机: 'phone',
  电话: 'phone',
  phone: 'phone',
}

const ROLE_NAMES: Record<string, AccountRole> = {
  系统管理员: 'sysadmin',
  单位管理员: 'unitadmin',
  拟稿人: 'drafter',
  核稿人: 'reviewer',
  签发人: 'signer',
  文书: 'registrar',
  会议组织者: 'organiser',
}

const USERNAME = /^[a-zA-Z0-9._-]{2,64}$/
const PHONE = /^[0-9+\-() ]{5,20}$/
// Rows per transaction. Between chunks the import yields to the event loop, so a large import
// never holds up the relay's fan-out for long.
const CHUNK = 500

/** Imports of accounts. */
export class ImportService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly directory: DirectoryService,
  ) {}

  /** Parses and validates a file. Nothing is created. */
  async validate(
    actor: RequestActor,
    data: Uint8Array,
    format: 'csv' | 'xlsx',
  ): Promise<{ id: string; total: number; valid: number; errors: ImportError[] }> {
    if (format === 'xlsx') {
      // Before exceljs inflates anything: a small upload may unpack to gigabytes.
      const problem = await xlsxUnpackProblem(data)
      if (problem !== null) {
        await this.audit.record({
          ...actor.event,
          action: 'user.import_refused',
          target: null,
          detail: {
            reason: problem.kind,
            ...('unpackedBytes' in problem ? { unpackedBytes: problem.unpackedBytes } : {}),
          },
        })
        throw badRequest(unpackMessage(problem))
      }
    }
    let table: string[][]
    try {
      table =
        format === 'csv'
          ? parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(data))
          : await parseXlsx(data)
    } catch {
      throw badRequest(
        `无法读取文件，请确认是 UTF-8 编码的 CSV 或 XLSX 文件 (unreadable ${format} file)`,
      )
    }
    const [header, ...body] = table
    if (header === undefined) {
      throw badRequest('文件为空 (the file is empty)')
    }
    const columns = header.map((h) => HEADERS[h.trim().toLowerCase()] ?? HEADERS[h.trim()] ?? null)
    for (const required of ['username', 'displayName', 'unitCode'] as const) {
      if (!columns.includes(required)) {
        throw badRequest(`缺少必需的列：用户名、姓名、单位代码 (missing column ${required})`)
      }
    }
    const units = new Map((await this.storage.org.units()).map((u) => [u.code, u]))
    const existing = await this.storage.org.existingUsernames(
      body.map((cells) => cellOf(cells, columns, 'username')).filter((u) => u !== ''),
    )
    const seen = new Map<string, number>()
    const errors: ImportError[] = []
    const valid: ValidRow[] = []
    body.forEach((cells, index) => {
      const rowNumber = index + 2
      const username = cellOf(cells, columns, 'username')
      const reason = this.rowProblem(actor, cells, columns, units, existing, seen, rowNumber)
      if (typeof reason === 'string') {
        errors.push({ row: rowNumber, username, reason })
      } else {
        valid.push(reason)
      }
      if (username !== '' && !seen.has(username.toLowerCase())) {
        seen.set(username.toLowerCase(), rowNumber)
      }
    })
    const id = newId()
    await this.storage.imports.insert({
      id,
      actor_id: actor.userId,
      status: 'validated',
      total: valid.length,
      done: 0,
      payload: JSON.stringify({ valid, errors }),
      created_at: Date.now(),
    })
    return { id, total: body.length, valid: valid.length, errors }
  }

  /** Starts creating the valid rows in the background. */
  async commit(actor: RequestActor, id: string): Promise<ImportStatus> {
    const job = await this.requireOwn(actor, id)
    if (job.status !== 'validated') {
      throw conflict('该导入已提交 (already committed)')
    }
    const { valid } = JSON.parse(job.payload) as { valid: ValidRow[] }
    await this.storage.imports.update(id, { status: 'running' })
    void this.run(actor, id, valid)
    return { id, status: 'running', total: valid.length, done: 0 }
  }

  /** @returns the progress of an import. */
  async status(actor: RequestActor, id: string): Promise<ImportStatus> {
    const job = await this.requireOwn(actor, id)
    return { id, status: job.status as ImportStatus['status'], total: job.total, done: job.done }
  }

  /** @returns the error report of a validated import as CSV. */
  async errorReport(actor: RequestActor, id: string): Promise<string> {
    const job = await this.requireOwn(actor, id)
    const { errors } = JSON.parse(job.payload) as { errors?: ImportError[] }
    return toCsv([
      ['行号', '用户名', '错误原因'],
      ...(errors ?? []).map((e) => [e.row, e.username, e.reason]),
    ])
  }

  /** @returns the activation codes of a finished import as CSV, once; they are then erased. */
  async takeCodes(actor: RequestActor, id: string): Promise<string> {
    const job = await this.requireOwn(actor, id)
    const { codes } = JSON.parse(job.payload) as { codes?: [string, string, string][] }
    if (job.status !== 'done' || codes === undefined) {
      throw conflict('激活码已下载或导入尚未完成 (codes already taken or import not finished)')
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.imports.update(id, { payload: JSON.stringify({ taken: true }) })
      uow.audit({
        ...actor.event,
        action: 'user.import_codes_taken',
        target: id,
        detail: { count: codes.length },
      })
    })
    return toCsv([['用户名', '姓名', '激活码'], ...codes])
  }

  private async run(actor: RequestActor, id: string, valid: ValidRow[]): Promise<void> {
    const codes: [string, string, string][] = []
    try {
      const now = Date.now()
      for (let i = 0; i < valid.length; i += CHUNK) {
        const users: UserRow[] = []
        const posts: PostRow[] = []
        for (const row of valid.slice(i, i + CHUNK)) {
          const code = newActivationCode()
          const userId = newId()
          codes.push([row.username, row.displayName, code])
          users.push({
            id: userId,
            username: row.username,
            display_name: row.displayName,
            password_hash: null,
            activation_hash: hashSecret(code),
            must_change_password: 1,
            roles: JSON.stringify(row.roles),
            unit_id: row.unitId,
            active: 1,
            failed_logins: 0,
            locked_until: null,
            created_at: now,
            phone: row.phone,
            phone_visibility: 'unit',
            deactivated_at: null,
            ...(await nameIndex(row.displayName)),
          })
          posts.push({
            id: newId(),
            user_id: userId,
            unit_id: row.unitId,
            title: row.post,
            is_primary: 1,
            sort_order: 0,
          })
        }
        const done = Math.min(valid.length, i + CHUNK)
        // Each chunk commits with its audit entry: an import that fails later leaves only audited
        // accounts behind.
        await this.storage.unitOfWork(async (uow) => {
          await uow.org.insertAccounts(users, posts)
          await uow.imports.update(id, { done })
          uow.audit({
            ...actor.event,
            action: 'user.import_rows',
            target: id,
            detail: { created: users.length, done, total: valid.length },
          })
        })
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      await this.storage.unitOfWork(async (uow) => {
        await uow.imports.update(id, { status: 'done', payload: JSON.stringify({ codes }) })
        uow.audit({
          ...actor.event,
          action: 'user.import',
          target: id,
          detail: { created: valid.length },
        })
      })
      await this.directory.refreshUnits(valid.map((row) => row.unitId))
    } catch (error) {
      this.logger.error('import failed', { id, error: String(error) })
      await this.storage.imports.update(id, { status: 'failed' }).catch(() => {})
    }
  }

  private rowProblem(
    actor: RequestActor,
    cells: string[],
    columns: (string | null)[],
    units: Map<string, UnitRow>,
    existing: Set<string>,
    seen: Map<string, number>,
    rowNumber: number,
  ): string | ValidRow {
    const username = cellOf(cells, columns, 'username')
    const displayName = cellOf(cells, columns, 'displayName')
    const unitCode = cellOf(cells, columns, 'unitCode')
    const phone = cellOf(cells, columns, 'phone')
    if (username === '') {
      return '用户名为空'
    }
    if (!USERNAME.test(username)) {
      return '用户名格式不正确（2–64 位字母、数字、点、下划线或连字符）'
    }
    const earlier = seen.get(username.toLowerCase())
    if (earlier !== undefined && earlier !== rowNumber) {
      return `用户名与第 ${earlier} 行重复`
    }
    if (existing.has(username.toLowerCase())) {
      return '用户名已存在'
    }
    if (displayName === '' || displayName.length > 64) {
      return displayName === '' ? '姓名为空' : '姓名过长（最多 64 个字符）'
    }
    const unit = units.get(unitCode)
    if (unit === undefined) {
      return unitCode === '' ? '单位代码为空' : `单位代码不存在：${unitCode}`
    }
    if (!canAdministerUnit(actor.subject, unit.path)) {
      return `单位 ${unit.name} 超出您的管理范围`
    }
    const roles: AccountRole[] = []
    for (const name of cellOf(cells, columns, 'roles')
      .split(/[;；,，、\s]+/)
      .filter((r) => r !== '')) {
      const role = ROLE_NAMES[name] ?? (ACCOUNT_ROLES as readonly string[]).find((r) => r === name)
      if (role === undefined) {
        return `角色无效：${name}`
      }
      roles.push(role as AccountRole)
    }
    if (!canGrantRoles(actor.subject, roles)) {
      return '无权授予系统管理员角色'
    }
    if (phone !== '' && !PHONE.test(phone)) {
      return '电话号码格式不正确'
    }
    return {
      row: rowNumber,
      username,
      displayName,
      unitId: unit.id,
      post: cellOf(cells, columns, 'post') || '工作人员',
      roles: roles.length === 0 ? ['drafter'] : roles,
      phone: phone === '' ? null : phone,
    }
  }

  private async requireOwn(actor: RequestActor, id: string) {
    const job = await this.storage.imports.byId(id)
    if (job === null) {
      throw notFound('导入任务')
    }
    if (job.actor_id !== actor.userId) {
      throw forbidden()
    }
    return job
  }
}

function cellOf(cells: string[], columns: (string | null)[], name: string): string {
  const index = columns.indexOf(name)
  return index < 0 ? '' : (cells[index] ?? '').trim()
}
