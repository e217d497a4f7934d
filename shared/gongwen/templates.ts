/**
 * A starting template for each 文种: its initial meta and body. ×××× marks what the drafter fills
 * in, as in the examples of GB/T 9704. Numbered headings (一、（一）1.（1）) are `heading` blocks whose
 * level is the GB/T level; the page view styles them (黑体, 楷体, 仿宋, 仿宋) at body size.
 *
 * @example
 *   const { meta, blocks } = templateFor('notice', { issuingAuthority: '山东省人民政府' })
 */
import { docTypeById } from './docTypes'
import type { DocTypeId } from './docTypes'
import { DEFAULT_META } from './meta'
import type { GongwenMeta } from './meta'
import type { HeadingLevel } from './headings'

/** One block of a template body. */
export type TemplateBlock =
  | { readonly type: 'paragraph'; readonly text: string }
  | { readonly type: 'heading'; readonly level: HeadingLevel; readonly text: string }

/** A template: the meta and body a new document of one type starts with. */
export interface GongwenTemplate {
  readonly meta: GongwenMeta
  readonly blocks: readonly TemplateBlock[]
}

/** What the creator already knows. */
export interface TemplateContext {
  /** 发文机关, e.g. the creator's unit. */
  readonly issuingAuthority?: string
  /** A title given at creation; replaces the template's. */
  readonly title?: string
}

const p = (text: string): TemplateBlock => ({ type: 'paragraph', text })
const h = (level: HeadingLevel, text: string): TemplateBlock => ({ type: 'heading', level, text })

interface Body {
  readonly title: string
  readonly mainRecipients: string
  readonly blocks: readonly TemplateBlock[]
}

const SECTIONS = [h(1, '一、××××'), p('××××。'), h(1, '二、××××'), p('××××。')]

const BODIES: Readonly<Record<DocTypeId, Body>> = {
  resolution: {
    title: '××××关于××××的决议',
    mainRecipients: '',
    blocks: [p('××××年×月×日，××××会议审议了××××。'), p('会议认为，××××。'), p('会议决定，××××。')],
  },
  decision: {
    title: '××××关于××××的决定',
    mainRecipients: '××××：',
    blocks: [p('为××××，经研究，决定如下：'), ...SECTIONS, p('本决定自印发之日起施行。')],
  },
  order: {
    title: '',
    mainRecipients: '',
    blocks: [
      p('《××××》已经××××年×月×日××××第×次常务会议通过，现予公布，自××××年×月×日起施行。'),
      p('××长　×××'),
    ],
  },
  communique: {
    title: '××××公报',
    mainRecipients: '',
    blocks: [p('××××年×月×日，××××。现将有关情况公报如下：'), ...SECTIONS],
  },
  announcement: {
    title: '××××公告',
    mainRecipients: '',
    blocks: [p('根据××××，现将××××公告如下：'), ...SECTIONS, p('特此公告。')],
  },
  publicNotice: {
    title: '××××关于××××的通告',
    mainRecipients: '',
    blocks: [p('为××××，根据××××，现就有关事项通告如下：'), ...SECTIONS, p('特此通告。')],
  },
  opinion: {
    title: '××××关于××××的意见',
    mainRecipients: '××××：',
    blocks: [
      p('为××××，现提出如下意见。'),
      h(1, '一、总体要求'),
      h(2, '（一）指导思想。××××。'),
      h(2, '（二）主要目标。××××。'),
      h(1, '二、重点任务'),
      p('××××。'),
      h(1, '三、保障措施'),
      p('××××。'),
    ],
  },
  notice: {
    title: '××××关于××××的通知',
    mainRecipients: '××××，××××：',
    blocks: [p('为××××，现将有关事项通知如下：'), ...SECTIONS, p('特此通知。')],
  },
  circular: {
    title: '××××关于××××情况的通报',
    mainRecipients: '××××：',
    blocks: [
      p('现将××××情况通报如下：'),
      h(1, '一、基本情况'),
      p('××××。'),
      h(1, '二、存在问题'),
      p('××××。'),
      h(1, '三、下一步工作要求'),
      p('××××。'),
    ],
  },
  report: {
    title: '××××关于××××情况的报告',
    mainRecipients: '××××',
    blocks: [p('根据××××要求，现将××××情况报告如下：'), ...SECTIONS, p('特此报告。')],
  },
  request: {
    title: '××××关于××××的请示',
    mainRecipients: '××××',
    blocks: [p('为××××，拟××××。'), p('妥否，请批示。')],
  },
  reply: {
    title: '××××关于××××的批复',
    mainRecipients: '××××',
    blocks: [
      p('你单位《关于××××的请示》（××〔××××〕×号）收悉。经研究，批复如下：'),
      ...SECTIONS,
      p('此复。'),
    ],
  },
  motion: {
    title: '××××关于提请审议××××的议案',
    mainRecipients: '××××人民代表大会常务委员会',
    blocks: [p('为××××，××××起草了《××××（草案）》，已经××××审议通过。现提请审议。')],
  },
  letter: {
    title: '××××关于××××的函',
    mainRecipients: '××××',
    blocks: [p('××××。'), p('特此函告。')],
  },
  minutes: {
    title: '××××会议纪要',
    mainRecipients: '',
    blocks: [
      p('××××年×月×日，×××主持召开××××会议，研究××××。现将会议议定事项纪要如下：'),
      ...SECTIONS,
      p('出席：×××　×××　×××'),
      p('请假：×××'),
      p('列席：×××'),
    ],
  },
}

/** @returns the template of a 文种, with what the creator already knows filled in. */
export function templateFor(docType: DocTypeId, context: TemplateContext = {}): GongwenTemplate {
  const body = BODIES[docType]
  const type = docTypeById(docType)
  const authority = context.issuingAuthority?.trim() ?? ''
  const title = context.title?.trim() ?? ''
  // 主送机关 is stored without its closing colon; the layout adds it.
  const recipients = body.mainRecipients.replace(/[：:]$/, '')
  return {
    meta: {
      ...DEFAULT_META,
      docType,
      title: title !== '' ? title : body.title,
      issuingAuthority: authority,
      printingAuthority: type?.format === 'minutes' ? '' : authority,
      mainRecipients: recipients,
      // 命令 carry a 令号, not a 发文字号; both are assigned at 登记.
      documentNumber: '',
    },
    blocks: body.blocks,
  }
}
