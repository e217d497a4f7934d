/**
 * The Vue editor's reactive state notifies Vue once per burst of transactions, in idle time, and
 * never asks for an animation frame (calmReactivity), on a real TipTap Vue editor.
 */
import { afterEach, describe, expect, test, vi } from 'vitest'
import { watchEffect } from 'vue'
import { Editor } from '@tiptap/vue-3'
import { gongwenSchemaExtensions } from '../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { calmReactivity } from '../../../renderer/src/editor/calmReactivity'

let editor: Editor | null = null

afterEach(() => {
  editor?.destroy()
  editor = null
  vi.restoreAllMocks()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('calmReactivity', () => {
  test('the state is current at once; Vue hears of a burst once, later, with no frame asked for', async () => {
    editor = new Editor({ extensions: gongwenSchemaExtensions(), content: '<p>正文</p>' })
    expect(calmReactivity(editor)).toBe(true)
    const frames = vi.spyOn(window, 'requestAnimationFrame')
    const seen: string[] = []
    const stop = watchEffect(() => {
      seen.push(editor?.state.doc.textContent ?? '')
    })
    expect(seen).toEqual(['正文'])

    editor.commands.insertContentAt(3, '第')
    editor.commands.insertContentAt(4, '一')
    editor.commands.insertContentAt(5, '段')
    // The editor's state is the new one at once; Vue has not been told yet.
    expect(editor.state.doc.textContent).toBe('正文第一段')
    expect(seen).toEqual(['正文'])

    await sleep(150)
    expect(seen).toEqual(['正文', '正文第一段'])
    expect(frames).not.toHaveBeenCalled()
    stop()
  })

  test('without it, the Vue editor asks for animation frames on every transaction', () => {
    editor = new Editor({ extensions: gongwenSchemaExtensions(), content: '<p>正文</p>' })
    const frames = vi.spyOn(window, 'requestAnimationFrame')
    editor.commands.insertContentAt(3, '第')
    expect(frames).toHaveBeenCalled()
  })
})
