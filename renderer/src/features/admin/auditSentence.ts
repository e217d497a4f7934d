/**
 * An audit entry as one sentence with names: "王芳 将 李强 设为《关于防汛的通知》的编辑者". The
 * relay sends the names of what entries refer to by id (`names` of GET /admin/audit); the sentence
 * templates are `audit.sentences.<action>` in the message tables. An action without a template
 * reads "<actor>：<action name> <target>", never a raw key.
 */
import type { ApiAuditEntry } from '../../../../shared/api'
import { actionKey } from './auditQuery'

/** vue-i18n's `t` and `te` as this module uses them. */
export interface Translator {
  t(key: string, params?: Record<string, unknown>): string
  te(key: string): boolean
}

/** Ids are UUIDs or 20+ character tokens; a target like a URL or a username is shown as is. */
const ID_LIKE = /^(?:[a-z]+:)?[0-9a-zA-Z_-]{16,}$/

/** @returns the i18n key of an action's sentence */
export function sentenceKey(action: string): string {
  return `audit.sentences.${action.replace(/\./g, '_')}`
}

/** @returns the entry as a sentence in the UI's language */
export function auditSentence(
  entry: ApiAuditEntry,
  names: Readonly<Record<string, string>>,
  { t, te }: Translator,
): string {
  const nameOf = (id: unknown): string => {
    if (typeof id !== 'string' || id === '') {
      return t('audit.someone')
    }
    const bare = id.replace(/^[a-z]+:/, '')
    return names[id] ?? names[bare] ?? (ID_LIKE.test(id) ? t('audit.unknownTarget') : id)
  }
  const detail = entry.detail
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
  const role = text(detail.role)
  const reason = text(detail.reason)
  const params = {
    actor:
      entry.actorId === null && entry.actorName === 'system'
        ? t('audit.system')
        : ((entry.actorId === null ? undefined : names[entry.actorId]) ?? entry.actorName),
    target: nameOf(entry.target),
    title: text(detail.title) || nameOf(entry.target),
    member: nameOf(detail.userId ?? detail.memberId),
    unit: typeof detail.unitId === 'string' ? nameOf(detail.unitId) : text(detail.unitName),
    to: nameOf(detail.to),
    role: role === '' ? '' : te(`audit.roles.${role}`) ? t(`audit.roles.${role}`) : role,
    name: text(detail.name),
    reason:
      reason === ''
        ? ''
        : te(`audit.reasons.${reason}`)
          ? t(`audit.reasons.${reason}`)
          : t('audit.reasons.other'),
    count: text(
      detail.rows ?? detail.checked ?? (Array.isArray(detail.users) ? detail.users.length : ''),
    ),
  }
  const key = sentenceKey(entry.action)
  if (te(key)) {
    return t(key, params)
  }
  const group = entry.action.split('.')[0] ?? ''
  const label = te(actionKey(entry.action))
    ? t(actionKey(entry.action))
    : te(actionKey(`${group}.`))
      ? t(actionKey(`${group}.`))
      : t('audit.otherAction')
  return entry.target === null
    ? t('audit.sentenceFallback', { actor: params.actor, action: label })
    : t('audit.sentenceFallbackTarget', {
        actor: params.actor,
        action: label,
        target: params.target,
      })
}
