/**
 * The editor toolbar follows the caret (active and shown tools) on a real TipTap editor, and does
 * not re-render for keystrokes that change neither.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import { Editor } from '@tiptap/vue-3'
import EditorToolbar from '../../../../renderer/src/features/documents/components/EditorToolbar.vue'
import { gongwenSchemaExtensions } from '../../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { i18n } from '../../../../renderer/src/i18n'

let editor: Editor | null = null

afterEach(() => {
  editor?.destroy()
  editor = null
})

function setUp() {
  editor = new Editor({
    extensions: gongwenSchemaExtensions(),
    content: '<p>正文第一段</p><h1>一、总体要求</h1>',
  })
  const wrapper = mount(EditorToolbar, { props: { editor }, global: { plugins: [i18n] } })
  return { editor, wrapper }
}

describe('the editor toolbar', () => {
  test('active and shown tools follow the caret', async () => {
    const { editor, wrapper } = setUp()
    editor.commands.setTextSelection(2)
    await nextTick()
    expect(wrapper.get('[data-testid="tool-body"]').attributes('aria-pressed')).toBe('true')
    expect(wrapper.get('[data-testid="tool-h1"]').attributes('aria-pressed')).toBe('false')
    expect(wrapper.find('[data-testid="tool-addRow"]').exists()).toBe(false)

    // Into the heading (the document may end with a trailing empty paragraph).
    let inHeading = -1
    editor.state.doc.forEach((node, offset) => {
      if (node.type.name === 'heading') {
        inHeading = offset + 2
      }
    })
    editor.commands.setTextSelection(inHeading)
    await nextTick()
    expect(wrapper.get('[data-testid="tool-h1"]').attributes('aria-pressed')).toBe('true')
    expect(wrapper.get('[data-testid="tool-body"]').attributes('aria-pressed')).toBe('false')

    // Into a new table: its tools appear.
    editor.chain().setTextSelection(2).insertTable({ rows: 2, cols: 2 }).run()
    await nextTick()
    expect(wrapper.find('[data-testid="tool-addRow"]').exists()).toBe(true)
  })

  test('typing that changes no tool state does not re-render the toolbar', async () => {
    const { editor, wrapper } = setUp()
    editor.commands.setTextSelection(2)
    await nextTick()
    let renders = 0
    wrapper.vm.$.effect.scheduler = ((run: () => void) => () => {
      renders++
      run()
    })(wrapper.vm.$.effect.scheduler ?? (() => wrapper.vm.$.update()))
    for (const ch of '关于做好') {
      editor.commands.insertContent(ch)
      await nextTick()
    }
    expect(renders).toBe(0)
    editor.commands.toggleBold()
    await nextTick()
    expect(renders).toBe(1)
    expect(wrapper.get('[data-testid="tool-bold"]').attributes('aria-pressed')).toBe('true')
  })
})
