/** /api/v1/admin/audit: the viewer, CSV export and chain verification. System admins only. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { ApiAuditEntry } from '../../shared/api'
import { exportAuditCsv, listAudit, verifyAudit } from '../../shared/http/routes/audit'
import type { AuditQuery } from '../../shared/http/routes/audit'
import type { AuditRow } from '../storage/AuditStore'
import { toCsv } from '../imports/tabular'
import { forbidden } from '../errors'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { attachment, handle, handleDownload } from './contractRoute'

function toApiEntry(row: AuditRow): ApiAuditEntry {
  let detail: Record<string, unknown> = {}
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>
  } catch {
    detail = { raw: row.detail }
  }
  return {
    id: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    detail,
    ip: row.ip,
    hash: row.hash,
  }
}

function filterOf(query: z.output<typeof AuditQuery>) {
  return {
    actorId: query.actorId,
    action: query.action,
    text: query.q,
    from: query.from,
    to: query.to,
    unitId: query.unitId,
  }
}

/** Detail keys that hold the id of a person, unit, document or approval. */
const ID_KEYS = [
  'userId',
  'unitId',
  'memberId',
  'documentId',
  'approvalId',
  'toUserId',
  'fromUserId',
  'from',
  'to',
]

/** @returns the ids an entry refers to (for their names). */
function referencedIds(entry: ApiAuditEntry): string[] {
  // The actor too: the relay's refusals record the account's username, the viewer shows the name.
  const ids: string[] = entry.actorId === null ? [] : [entry.actorId]
  if (entry.target !== null) {
    ids.push(entry.target, entry.target.replace(/^[a-z]+:/, ''))
  }
  for (const key of ID_KEYS) {
    const value = entry.detail[key]
    if (typeof value === 'string') {
      ids.push(value)
    }
  }
  const users = entry.detail.users
  if (Array.isArray(users)) {
    ids.push(...users.filter((user): user is string => typeof user === 'string').slice(0, 20))
  }
  return ids
}

/** Registers the audit routes. */
export function auditRoutes(app: FastifyInstance, context: HttpContext): void {
  const auditor = async (request: FastifyRequest) => {
    const actor = await actorOf(context, request)
    if (!actor.subject.roles.includes('sysadmin')) {
      await context.audit.record({ ...actor.event, action: 'audit.denied', target: request.url })
      throw forbidden('只有系统管理员可以查看审计日志 (system administrators only)')
    }
    return actor
  }

  handle(app, listAudit, auditor, async ({ query }) => {
    const { rows, total } = await context.audit.search(filterOf(query), query.limit, query.offset)
    const entries = rows.map(toApiEntry)
    const names = await context.storage.audit.names(entries.flatMap(referencedIds))
    return { entries, total, names: Object.fromEntries(names) }
  })

  handleDownload(app, exportAuditCsv, auditor, async ({ auth, query, reply }) => {
    const { rows } = await context.audit.search(filterOf(query), 100_000, 0)
    await context.audit.record({
      ...auth.event,
      action: 'audit.export',
      detail: { rows: rows.length },
    })
    const csv = toCsv([
      ['序号', '时间', '操作人', '操作人ID', '动作', '对象', '详情', 'IP', 'SM3'],
      ...rows.map((r) => {
        const e = toApiEntry(r)
        return [
          e.id,
          e.at,
          e.actorName,
          e.actorId,
          e.action,
          e.target,
          JSON.stringify(e.detail),
          e.ip,
          e.hash,
        ]
      }),
    ])
    return reply
      .type(exportAuditCsv.contentType)
      .header('Content-Disposition', attachment('审计日志.csv'))
      .send(csv)
  })

  handle(app, verifyAudit, auditor, async ({ auth }) => {
    const report = await context.audit.verify()
    await context.audit.record({
      ...auth.event,
      action: 'audit.verify',
      detail: { ok: report.ok, checked: report.checked },
    })
    return report
  })
}
