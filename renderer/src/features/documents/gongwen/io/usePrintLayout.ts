/**
 * The measuring half of the print sheet (GongwenPrintSheet): renders the body into its host, then,
 * once the fonts are in, snaps the first body line to the 22-line grid, keeps 附件说明 and signature
 * with body text, and pushes the 版记 to the foot of the last page (again before printing).
 */
import { nextTick, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import type { Ref } from 'vue'
import { DOMSerializer } from '@tiptap/pm/model'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { LAYOUT, LINE_PITCH_MM, mmToPx } from '../../../../../../shared/gongwen/layout'
import type { GongwenLayoutModel } from './layoutModel'
import { closingBreak, imprintSpacer } from './imprintPlacement'

/** The sheet's elements that the layout measures (template refs). */
export interface PrintSheetElements {
  readonly root: Ref<HTMLElement | null>
  readonly bodyHost: Ref<HTMLElement | null>
  readonly imprint: Ref<HTMLElement | null>
  readonly attachmentsBlock: Ref<HTMLElement | null>
  readonly signatureBlock: Ref<HTMLElement | null>
}

/** What the sheet's template binds to. */
export interface PrintLayout {
  /** Height of the space above the 版记 (mm). */
  readonly spacerMm: Ref<number>
  /** Whether the 版记 starts a page of its own. */
  readonly breakBefore: Ref<boolean>
  /** Adjustment of the gap above the title (px; negative pulls the title up). */
  readonly snapPx: Ref<number>
}

/**
 * Lays the sheet out on mount, whenever the body or the model changes, and before printing.
 * @param source the body and the layout model (the sheet's props)
 * @param onLaidOut told after each layout
 */
export function usePrintLayout(
  source: { readonly body: ProseMirrorNode; readonly model: GongwenLayoutModel },
  elements: PrintSheetElements,
  onLaidOut: () => void,
): PrintLayout {
  const { root, bodyHost, imprint, attachmentsBlock, signatureBlock } = elements
  const spacerMm = ref(0)
  const breakBefore = ref(false)
  const snapPx = ref(0)

  function renderBody(): void {
    const host = bodyHost.value
    if (host === null) {
      return
    }
    const serializer = DOMSerializer.fromSchema(source.body.type.schema)
    host.replaceChildren(serializer.serializeFragment(source.body.content, { document }))
  }

  /**
   * Brings the first body line onto the 22-line grid (by adjusting the gap above the title by less
   * than half a line), so page 1 holds whole lines and later pages break where the screen predicts.
   */
  async function snapToGrid(): Promise<void> {
    snapPx.value = 0
    await nextTick()
    const sheet = root.value
    const host = bodyHost.value
    if (sheet === null || host === null) {
      return
    }
    const line = mmToPx(LINE_PITCH_MM)
    const before = host.getBoundingClientRect().top - sheet.getBoundingClientRect().top
    snapPx.value = Math.round(before / line) * line - before
  }

  /** The last body block when it goes over to the next page with 附件说明 and signature. */
  const KEEP_WITH_CLOSING = 'keep-with-closing'

  /**
   * Keeps 附件说明 and signature on a page with body text (see `closingBreak`): a gap before the last
   * body block makes it start the next page.
   */
  function keepClosingWithBody(): void {
    const sheet = root.value
    const last = bodyHost.value?.lastElementChild
    const first = attachmentsBlock.value ?? signatureBlock.value
    const end = signatureBlock.value ?? attachmentsBlock.value
    if (sheet === null || !(last instanceof HTMLElement) || first === null || end === null) {
      return
    }
    last.classList.remove(KEEP_WITH_CLOSING)
    const origin = sheet.getBoundingClientRect().top
    const block = last.getBoundingClientRect()
    const gap = closingBreak({
      lastBlockTop: block.top - origin,
      lastBlockBottom: block.bottom - origin,
      closingTop: first.getBoundingClientRect().top - origin,
      closingBottom: end.getBoundingClientRect().bottom - origin,
      pageHeight: mmToPx(LAYOUT.typeArea.height),
    })
    if (gap > 0) {
      last.classList.add(KEEP_WITH_CLOSING)
      last.style.setProperty('--gw-keep-gap', `${gap}px`)
    }
  }

  /** Pushes the 版记 down so that its last rule sits on the bottom edge of the last page. */
  async function placeImprint(): Promise<void> {
    spacerMm.value = 0
    breakBefore.value = false
    await nextTick()
    const element = imprint.value
    const sheet = root.value
    if (element !== null && sheet !== null) {
      const top = element.getBoundingClientRect().top - sheet.getBoundingClientRect().top
      const placement = imprintSpacer({
        contentHeight: top,
        imprintHeight: element.getBoundingClientRect().height,
        pageHeight: mmToPx(LAYOUT.typeArea.height),
      })
      spacerMm.value = placement.spacer / mmToPx(1)
      breakBefore.value = placement.newPage
    }
    onLaidOut()
  }

  async function layout(): Promise<void> {
    renderBody()
    // Fonts change line breaks; measure once they are in.
    await document.fonts.ready
    await snapToGrid()
    keepClosingWithBody()
    await placeImprint()
  }

  onMounted(() => {
    void layout()
    window.addEventListener('beforeprint', onBeforePrint)
  })
  onBeforeUnmount(() => window.removeEventListener('beforeprint', onBeforePrint))
  function onBeforePrint(): void {
    void placeImprint()
  }
  watch(
    () => [source.body, source.model],
    () => {
      void layout()
    },
  )

  return { spacerMm, breakBefore, snapPx }
}
