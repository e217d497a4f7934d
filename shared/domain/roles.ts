/** Account roles and document member roles. */

/** What an account may do across the platform. */
export type AccountRole =
  /** 系统管理员: manages the whole province. */
  | 'sysadmin'
  /** 单位管理员: manages accounts inside their own unit subtree. */
  | 'unitadmin'
  /** 拟稿人: drafts documents. */
  | 'drafter'
  /** 核稿人: reviews drafts. */
  | 'reviewer'
  /** 签发人: signs documents off. */
  | 'signer'
  /** 文书/收发: numbers, distributes and archives. */
  | 'registrar'
  /** 会议组织者: organises meetings. */
  | 'organiser'

/** Every account role, in display order. */
export const ACCOUNT_ROLES: readonly AccountRole[] = [
  'sysadmin',
  'unitadmin',
  'drafter',
  'reviewer',
  'signer',
  'registrar',
  'organiser',
]

/** A person's right on one document. */
export type MemberRole =
  /** Created the document; may edit and manage members. */
  | 'owner'
  /** May edit the body and meta. */
  | 'editor'
  /** May comment and suggest, not edit the body directly. */
  | 'commenter'
  /** May read only. */
  | 'reader'

/** Member roles that can be granted through the members API (owner is not granted). */
export const GRANTABLE_MEMBER_ROLES = ['editor', 'commenter', 'reader'] as const
