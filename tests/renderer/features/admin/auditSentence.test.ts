/** Audit entries read as sentences with names, never ids or English keys (doc.version_* too). */
import { describe, expect, test } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { ApiAuditEntry } from '../../../../shared/api'
import { AUDIT_ACTIONS } from '../../../../renderer/src/features/admin/auditQuery'
import { auditSentence } from '../../../../renderer/src/features/admin/auditSentence'
import { en, zhCN } from '../../../../renderer/src/i18n/messages'

const DOC = '3f0c2a9e-5b1d-4c7e-9a2b-8d6e4f1a0c3b'
const LI = 'b6e1f0d2-7a3c-4e5f-8b9a-1c2d3e4f5a6b'
const UNIT = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'
const names = { [DOC]: '关于做好防汛工作的通知', [LI]: '李强', [UNIT]: '济南市人民政府办公厅' }

function entry(
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): ApiAuditEntry {
  return {
    id: 1,
    at: '2026-05-06T01:00:00.000Z',
    actorId: 'u-wang',
    actorName: '王芳',
    action,
    target,
    detail,
    ip: null,
    hash: 'h',
  }
}

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } })
  return {
    t: i18n.global.t as (k: string, p?: Record<string, unknown>) => string,
    te: i18n.global.te,
  }
}

describe('audit sentences', () => {
  const zh = translator('zh-CN')

  test('name the people, units and documents an entry refers to by id', () => {
    expect(
      auditSentence(entry('acl.member_set', DOC, { userId: LI, role: 'editor' }), names, zh),
    ).toBe('王芳 将 李强 设为《关于做好防汛工作的通知》的编辑者')
    expect(
      auditSentence(entry('doc.version_named', DOC, { versionId: 'v1', name: '初稿' }), names, zh),
    ).toBe('王芳 为《关于做好防汛工作的通知》保存了版本“初稿”')
    expect(auditSentence(entry('doc.version_restored', DOC, { versionId: 'v1' }), names, zh)).toBe(
      '王芳 将《关于做好防汛工作的通知》恢复到了一个历史版本',
    )
    expect(auditSentence(entry('user.move', LI, { from: null, to: UNIT }), names, zh)).toBe(
      '王芳 将 李强 调至 济南市人民政府办公厅',
    )
    expect(
      auditSentence(
        entry('relay.refused', `doc:${DOC}`, { reason: 'archived_write_refused' }),
        names,
        zh,
      ),
    ).toBe('王芳 在《关于做好防汛工作的通知》中的操作被拒绝：文档已归档，只读')
    // The relay records the account's username as the actor's name; the sentence names the person.
    expect(
      auditSentence(
        {
          ...entry('relay.refused', `doc:${DOC}`, { reason: 'archived_write_refused' }),
          actorId: LI,
          actorName: 'li.qiang',
        },
        names,
        zh,
      ),
    ).toBe('李强 在《关于做好防汛工作的通知》中的操作被拒绝：文档已归档，只读')
    expect(
      auditSentence(
        {
          ...entry('doc.archive', DOC, { title: '关于做好防汛工作的通知' }),
          actorId: null,
          actorName: 'system',
        },
        names,
        zh,
      ),
    ).toBe('系统 归档了《关于做好防汛工作的通知》')
  })

  test('an id without a name never shows; an unknown action reads in Chinese', () => {
    const gone = auditSentence(entry('acl.member_removed', DOC, { userId: 'f'.repeat(32) }), {}, zh)
    expect(gone).toBe('王芳 将 （已删除的对象） 移出了《（已删除的对象）》')
    const odd = auditSentence(entry('meeting.some_new_thing', DOC), names, zh)
    expect(odd).toBe('王芳：会议（关于做好防汛工作的通知）')
  })

  test('every action the filter offers has a sentence in both languages, free of keys and ids', () => {
    const english = translator('en')
    for (const action of AUDIT_ACTIONS) {
      for (const tr of [zh, english]) {
        const text = auditSentence(
          entry(action, DOC, {
            userId: LI,
            unitId: UNIT,
            role: 'reader',
            title: 'T',
            name: 'N',
            to: UNIT,
            reason: 'x',
            rows: 3,
          }),
          names,
          tr,
        )
        expect(text, action).not.toMatch(/[a-z]+\.[a-z_]+|audit\.|[0-9a-f]{8}-[0-9a-f]{4}/)
        expect(text, action).toContain('王芳')
      }
    }
  })
})
