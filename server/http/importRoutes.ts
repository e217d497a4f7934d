/** /api/v1/admin/imports: validate a CSV/XLSX of accounts, then commit it with progress. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  MAX_IMPORT_BYTES,
  commitImport,
  importCodesCsv,
  importErrorsCsv,
  importStatus,
  uploadImport,
} from '../../shared/http/routes/imports'
import { badRequest } from '../errors'
import type { HttpContext } from './context'
import { adminActor } from './adminRoutes'
import { attachment, handle, handleDownload } from './contractRoute'

/** Registers the import routes. */
export function importRoutes(app: FastifyInstance, context: HttpContext): void {
  const admin = (request: FastifyRequest) => adminActor(context, request)

  app.addContentTypeParser(
    [...(uploadImport.accepts ?? [])],
    { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
    (_request, body, done) => done(null, body),
  )

  handle(app, uploadImport, admin, async ({ auth, query, request }) => {
    if (!Buffer.isBuffer(request.body)) {
      throw badRequest('请以文件内容作为请求体上传 (send the file as the request body)')
    }
    return context.imports.validate(auth, request.body, query.format)
  })

  handle(app, commitImport, admin, async ({ auth, params }) =>
    context.imports.commit(auth, params.id),
  )

  handle(app, importStatus, admin, async ({ auth, params }) =>
    context.imports.status(auth, params.id),
  )

  handleDownload(app, importErrorsCsv, admin, async ({ auth, params, reply }) => {
    const csv = await context.imports.errorReport(auth, params.id)
    return reply
      .type(importErrorsCsv.contentType)
      .header('Content-Disposition', attachment('导入错误报告.csv'))
      .send(csv)
  })

  handleDownload(app, importCodesCsv, admin, async ({ auth, params, reply }) => {
    const csv = await context.imports.takeCodes(auth, params.id)
    return reply
      .type(importCodesCsv.contentType)
      .header('Content-Disposition', attachment('激活码.csv'))
      .send(csv)
  })
}
