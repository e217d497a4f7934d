/**
 * Keeps the page view's pages: measures the flow whenever it changes size or the body changes,
 * puts the gaps where pages break (the body's through pageGaps, the closing's as heights the page
 * binds) and reports the sheets to draw behind the flow.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import type { Editor } from '@tiptap/core'
import { planFlow, sheetBoxes } from './pageFlow'
import type { ClosingGap, ClosingPart, SheetBox } from './pageFlow'
import { setBodyBreaks } from './pageGaps'

/** Measurements in a row that may each move the gaps before the view settles for a frame. */
const MAX_PASSES = 6

/** What the page binds. */
export interface PageSheets {
  readonly sheets: ShallowRef<readonly SheetBox[]>
  readonly closingGaps: ShallowRef<Partial<Record<ClosingPart, ClosingGap>>>
}

function sameGaps(
  a: Partial<Record<ClosingPart, ClosingGap>>,
  b: Partial<Record<ClosingPart, ClosingGap>>,
): boolean {
  return (['attachments', 'signature', 'imprint'] as const).every(
    (part) =>
      Math.abs((a[part]?.height ?? 0) - (b[part]?.height ?? 0)) < 0.5 &&
      (a[part]?.filler ?? null) === (b[part]?.filler ?? null),
  )
}

function sameSheets(a: readonly SheetBox[], b: readonly SheetBox[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (sheet, index) =>
        Math.abs(sheet.typeTop - (b[index]?.typeTop ?? 0)) < 0.5 &&
        Math.abs(sheet.typeBottom - (b[index]?.typeBottom ?? 0)) < 0.5,
    )
  )
}

export function usePageSheets(options: {
  readonly flow: Ref<HTMLElement | null>
  readonly body: Ref<HTMLElement | null>
  readonly closing: Readonly<Record<ClosingPart, Ref<HTMLElement | null>>>
  readonly editor: () => Editor | null
}): PageSheets {
  const sheets = shallowRef<readonly SheetBox[]>([])
  const closingGaps = shallowRef<Partial<Record<ClosingPart, ClosingGap>>>({})
  const alive = ref(true)
  let frame: number | null = null
  let passes = 0

  function schedule(): void {
    if (frame === null && alive.value) {
      frame = requestAnimationFrame(measure)
    }
  }

  function measure(): void {
    frame = null
    const flow = options.flow.value
    const body = options.body.value
    if (flow === null || body === null) {
      return
    }
    const editor = options.editor()
    const view = editor === null || editor.isDestroyed ? null : editor.view
    const plan = planFlow(
      {
        flow,
        body,
        closing: {
          attachments: options.closing.attachments.value,
          signature: options.closing.signature.value,
          imprint: options.closing.imprint.value,
        },
      },
      view,
    )
    let moved = view !== null && setBodyBreaks(view, plan.bodyBreaks)
    if (!sameGaps(closingGaps.value, plan.closingGaps)) {
      closingGaps.value = plan.closingGaps
      moved = true
    }
    if (moved && passes < MAX_PASSES) {
      // The gaps moved the text after them: measure again once it is laid out.
      passes++
      schedule()
      return
    }
    passes = 0
    const next = sheetBoxes(flow)
    if (!sameSheets(sheets.value, next)) {
      sheets.value = next
    }
  }

  let resizes: ResizeObserver | null = null
  const onUpdate = (): void => schedule()
  let bound: Editor | null = null
  function bind(editor: Editor | null): void {
    bound?.off('update', onUpdate)
    bound = editor
    bound?.on('update', onUpdate)
    schedule()
  }

  onMounted(() => {
    if (typeof ResizeObserver !== 'undefined' && options.flow.value !== null) {
      resizes = new ResizeObserver(() => schedule())
      resizes.observe(options.flow.value)
    }
    bind(options.editor())
  })
  watch(options.editor, (editor) => bind(editor))
  onBeforeUnmount(() => {
    alive.value = false
    resizes?.disconnect()
    bound?.off('update', onUpdate)
    if (frame !== null) {
      cancelAnimationFrame(frame)
    }
  })

  return { sheets, closingGaps }
}
