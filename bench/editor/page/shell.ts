/**
 * The page view the benchmark renders its editor in: the renderer's own GongwenPage (A4 sheet,
 * GB/T 9704 grid, body CSS) with TipTap's EditorContent in its slot, as DocumentEditorView does.
 */
import { createApp, defineComponent, h, shallowRef } from 'vue'
import type { ShallowRef } from 'vue'
import { EditorContent } from '@tiptap/vue-3'
import type { Editor } from '@tiptap/vue-3'
import { readMeta } from '../../../shared/gongwen/meta'
import type { GongwenMeta } from '../../../shared/gongwen/meta'
import { i18n } from '../../../renderer/src/i18n'
import GongwenPage from '../../../renderer/src/features/documents/gongwen/pageview/GongwenPage.vue'
import '../../../renderer/src/styles/theme.css'

/** What the shell shows; set from the benchmark code. */
export interface Shell {
  readonly editor: ShallowRef<Editor | null>
  readonly meta: ShallowRef<GongwenMeta>
}

/** Mounts the page view into `#app`. */
export function mountShell(): Shell {
  const editor = shallowRef<Editor | null>(null)
  const meta = shallowRef<GongwenMeta>(readMeta({}))
  const Root = defineComponent({
    setup() {
      return () =>
        h('div', { class: 'desk' }, [
          h(
            GongwenPage,
            { meta: meta.value, fallbackTitle: '基准测试文档' },
            {
              default: () =>
                h(
                  'div',
                  { class: 'body', 'data-testid': 'editor' },
                  editor.value === null ? [] : [h(EditorContent, { editor: editor.value })],
                ),
            },
          ),
        ])
    },
  })
  createApp(Root).use(i18n).mount('#app')
  return { editor, meta }
}
