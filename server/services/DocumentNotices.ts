/**
 * Notices about a document (通知): added to a document, a comment on one's document or a reply to
 * one's thread, a suggestion in one's document, and the decision on one's suggestion. The relay
 * decides them from what an integrated update did (server/extensions/NoticeExtension.ts) or what a
 * command did (DocumentService.setMember); nobody hears of their own actions.
 *
 * Bounds: one transaction yields at most one notice per recipient and kind (the first activity,
 * with a count of the rest), to at most MAX_RECIPIENTS people. A burst of comments or suggestions
 * by one person on one document is told once while its notice stays unread (for BURST_MS), so a
 * reviewer typing suggestions does not ring the drafter's bell at every word. Each item has a dedupe
 * key naming the entry it is about, so nothing is told twice.
 */
import type { Storage } from '../storage/Storage'
import type { InboxStore } from '../storage/InboxStore'
import type { Logger } from '../logger'
import type { InboxItemKind } from '../../shared/api'
import type { MemberRole } from '../../shared/domain/roles'
import { newId } from '../auth/secrets'
import type {
  CommentActivity,
  DecisionActivity,
  Found,
  SuggestionActivity,
} from './annotationActivity'

/** Most people one transaction's notices reach. */
export const MAX_RECIPIENTS = 20
/** A burst of one person's comments or suggestions on one document is told once, while unread. */
export const BURST_MS = 10 * 60_000
const EXCERPT_LENGTH = 120

/** Who did it, where. */
export interface NoticeSource {
  readonly documentId: string
  readonly actor: { readonly id: string; readonly name: string }
  /** The title in the document's meta, when set. */
  readonly title: string | null
}

/** Re-projects a user's inbox room (InboxService.project). */
export interface InboxProjection {
  project(userId: string): void
}

interface Draft {
  readonly kind: InboxItemKind
  readonly text: string
  readonly excerpt: string
  readonly link: string
  readonly threadId: string | null
  readonly dedupeKey: string
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat
}

/** @returns how a suggestion reads in a notice: 建议将「…」改为「…」 */
export function suggestionExcerpt(s: {
  change: SuggestionActivity['change']
  text: string
  quote: string
}): string {
  const quote = shorten(s.quote)
  const text = shorten(s.text)
  if (s.change === 'insert') {
    return `建议插入「${text}」`
  }
  return s.change === 'delete' ? `建议删除「${quote}」` : `建议将「${quote}」改为「${text}」`
}

const ROLE_TEXT: Readonly<Record<Exclude<MemberRole, 'owner'>, string>> = {
  editor: '可编辑',
  commenter: '可批注、提修订',
  reader: '只读',
}

function documentLink(
  documentId: string,
  query?: { thread?: string; suggestion?: string },
): string {
  const base = `/documents/${documentId}`
  if (query?.thread !== undefined) {
    return `${base}?thread=${encodeURIComponent(query.thread)}`
  }
  return query?.suggestion === undefined
    ? base
    : `${base}?suggestion=${encodeURIComponent(query.suggestion)}`
}

/** Decides and writes document notices. */
export class DocumentNotices {
  /** Each recipient's notices are decided one after another (the burst check reads, then writes). */
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(
    private readonly storage: Storage,
    private readonly store: InboxStore,
    private readonly inbox: InboxProjection,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tells a person they were added to a document. @returns whether they were told */
  async memberAdded(
    source: NoticeSource,
    memberId: string,
    role: Exclude<MemberRole, 'owner'>,
  ): Promise<boolean> {
    const title = await this.titleOf(source)
    if (title === null) {
      return false
    }
    const sent = await this.send(source, memberId, {
      kind: 'member',
      text: `${source.actor.name} 邀请你参与《${title}》`,
      excerpt: `权限：${ROLE_TEXT[role]}`,
      link: documentLink(source.documentId),
      threadId: null,
      // Removed and added again later is news again.
      dedupeKey: `member:${source.documentId}:${this.now()}`,
    })
    return sent
  }

  /** Comments and replies: the owner hears of them, and a thread's author of replies to it. */
  async commented(source: NoticeSource, found: Found<CommentActivity>): Promise<string[]> {
    const document = await this.storage.documents.byId(source.documentId)
    if (document === null || found.items.length === 0) {
      return []
    }
    const title = source.title ?? document.title
    const drafts = new Map<string, Draft>()
    const forOwner = found.items.filter((c) => !c.mentioned.includes(document.owner_id))
    const first = forOwner[0]
    if (first !== undefined) {
      drafts.set(document.owner_id, {
        kind: 'comment',
        text:
          forOwner.length > 1
            ? `${source.actor.name} 在《${title}》中添加了多条批注`
            : first.replyId === null
              ? `${source.actor.name} 在《${title}》中添加了批注`
              : `${source.actor.name} 在《${title}》中回复了批注`,
        excerpt: shorten(first.text),
        link: documentLink(source.documentId, { thread: first.threadId }),
        threadId: first.threadId,
        dedupeKey: `comment:${source.documentId}:${first.threadId}:${first.replyId ?? 'thread'}`,
      })
    }
    for (const reply of found.items) {
      const to = reply.threadAuthor
      if (reply.replyId === null || to === null || drafts.has(to) || reply.mentioned.includes(to)) {
        continue
      }
      drafts.set(to, {
        kind: 'comment',
        text: `${source.actor.name} 回复了你在《${title}》中的批注`,
        excerpt: shorten(reply.text),
        link: documentLink(source.documentId, { thread: reply.threadId }),
        threadId: reply.threadId,
        dedupeKey: `comment:${source.documentId}:${reply.threadId}:${reply.replyId}`,
      })
    }
    return this.sendAll(source, drafts)
  }

  /** New suggestions: the document's owner hears of them. */
  async suggested(source: NoticeSource, found: Found<SuggestionActivity>): Promise<string[]> {
    const document = await this.storage.documents.byId(source.documentId)
    const first = found.items[0]
    if (document === null || first === undefined) {
      return []
    }
    const title = source.title ?? document.title
    const drafts = new Map<string, Draft>([
      [
        document.owner_id,
        {
          kind: 'suggestion',
          text:
            found.total > 1
              ? `${source.actor.name} 在《${title}》中提出了多条修订建议`
              : `${source.actor.name} 在《${title}》中提出了修订建议`,
          excerpt: suggestionExcerpt(first),
          link: documentLink(source.documentId, { suggestion: first.suggestionId }),
          threadId: null,
          dedupeKey: `suggestion:${source.documentId}:${first.suggestionId}`,
        },
      ],
    ])
    return this.sendAll(source, drafts)
  }

  /** Decisions: each suggestion's author hears whether it was accepted or rejected. */
  async decided(source: NoticeSource, found: Found<DecisionActivity>): Promise<string[]> {
    const title = await this.titleOf(source)
    if (title === null) {
      return []
    }
    const byAuthor = new Map<string, DecisionActivity[]>()
    for (const decision of found.items) {
      byAuthor.set(decision.authorId, [...(byAuthor.get(decision.authorId) ?? []), decision])
    }
    const drafts = new Map<string, Draft>()
    for (const [authorId, decisions] of byAuthor) {
      const [first] = decisions
      if (first === undefined) {
        continue
      }
      const accepted = decisions.filter((d) => d.status === 'accepted').length
      const verdict = first.status === 'accepted' ? '采纳了' : '未采纳'
      drafts.set(authorId, {
        kind: 'decision',
        text:
          decisions.length > 1
            ? `${source.actor.name} 处理了你在《${title}》中的 ${decisions.length} 条修订建议（采纳 ${accepted} 条，未采纳 ${decisions.length - accepted} 条）`
            : `${source.actor.name} ${verdict}你在《${title}》中的修订建议`,
        excerpt: suggestionExcerpt(first),
        link: documentLink(source.documentId, { suggestion: first.suggestionId }),
        threadId: null,
        dedupeKey: `decision:${source.documentId}:${first.suggestionId}`,
      })
    }
    return this.sendAll(source, drafts)
  }

  private async titleOf(source: NoticeSource): Promise<string | null> {
    if (source.title !== null) {
      return source.title
    }
    return (await this.storage.documents.byId(source.documentId))?.title ?? null
  }

  private async sendAll(source: NoticeSource, drafts: Map<string, Draft>): Promise<string[]> {
    const notified: string[] = []
    let recipients = 0
    for (const [userId, draft] of drafts) {
      if (recipients >= MAX_RECIPIENTS) {
        this.logger.warn('document notices capped', {
          documentId: source.documentId,
          recipients: drafts.size,
        })
        break
      }
      recipients++
      if (await this.send(source, userId, draft)) {
        notified.push(userId)
      }
    }
    return notified
  }

  /** Writes one item unless it is the actor's own, the recipient may not read, or it repeats. */
  private send(source: NoticeSource, userId: string, draft: Draft): Promise<boolean> {
    if (userId === source.actor.id) {
      return Promise.resolve(false)
    }
    const previous = this.queues.get(userId) ?? Promise.resolve()
    const work = previous.catch(() => {}).then(() => this.write(source, userId, draft))
    this.queues.set(userId, work)
    void work
      .finally(() => {
        if (this.queues.get(userId) === work) {
          this.queues.delete(userId)
        }
      })
      .catch(() => {})
    return work
  }

  private async write(source: NoticeSource, userId: string, draft: Draft): Promise<boolean> {
    const [user, role] = await Promise.all([
      this.storage.users.byId(userId),
      this.storage.documents.memberRole(source.documentId, userId),
    ])
    if (user === null || user.active !== 1 || role === null) {
      return false
    }
    const now = this.now()
    if (
      (draft.kind === 'comment' || draft.kind === 'suggestion') &&
      (await this.store.hasUnreadFrom(userId, {
        kind: draft.kind,
        documentId: source.documentId,
        actorId: source.actor.id,
        since: now - BURST_MS,
      }))
    ) {
      return false
    }
    const created = await this.store.insert({
      id: newId(),
      user_id: userId,
      kind: draft.kind,
      text: draft.text,
      excerpt: draft.excerpt,
      link: draft.link,
      document_id: source.documentId,
      thread_id: draft.threadId,
      actor_id: source.actor.id,
      actor_name: source.actor.name,
      dedupe_key: draft.dedupeKey,
      created_at: now,
      read_at: null,
    })
    if (created) {
      this.inbox.project(userId)
    }
    return created
  }
}
