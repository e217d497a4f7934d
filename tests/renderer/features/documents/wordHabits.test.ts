import { describe, expect, test } from 'vitest'
import { ref } from 'vue'
import type { DesktopBridge, IpcResult, SaveFileRequest } from '../../../../shared/ipc/contract'
import { exportPdf } from '../../../../renderer/src/features/documents/gongwen/io/fileExport'
import { shortcutFor } from '../../../../renderer/src/features/documents/editing/useEditorShortcuts'
import { settleSave } from '../../../../renderer/src/features/documents/editing/useSaveNow'
import type { SyncState } from '../../../../renderer/src/collab/syncStatus'
import { composeWindowTitle } from '../../../../renderer/src/components/windowTitle'

/** A platform whose print and save answer as given, recording what was saved. */
function platform(
  printed: IpcResult<{ readonly data: Uint8Array | null }>,
  saved: IpcResult<{ readonly saved: boolean }> = { ok: true, value: { saved: true } },
) {
  const saves: SaveFileRequest[] = []
  const titles: string[] = []
  const bridge: Pick<DesktopBridge, 'printToPdf' | 'saveFile'> = {
    printToPdf: async (request) => {
      titles.push(request.title)
      return printed
    },
    saveFile: async (request) => {
      saves.push(request)
      return saved
    },
  }
  return { bridge: bridge as DesktopBridge, saves, titles }
}

describe('导出 PDF through the bridge', () => {
  const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46])

  test('on the desktop the printed bytes are written through the save dialog, named after the title', async () => {
    const { bridge, saves, titles } = platform({ ok: true, value: { data: PDF } })
    expect(await exportPdf(bridge, '关于值班工作的通知')).toBe('saved')
    expect(titles).toEqual(['关于值班工作的通知'])
    expect(saves).toEqual([
      { suggestedName: '关于值班工作的通知.pdf', mimeType: 'application/pdf', data: PDF },
    ])
  })

  test('a cancelled save dialog and a failed print say so; the web hands over to its print dialog', async () => {
    const cancelled = platform(
      { ok: true, value: { data: PDF } },
      { ok: true, value: { saved: false } },
    )
    expect(await exportPdf(cancelled.bridge, '通知')).toBe('cancelled')
    const failed = platform({ ok: false, code: 'failed' })
    expect(await exportPdf(failed.bridge, '通知')).toBe('failed')
    expect(failed.saves).toEqual([])
    const web = platform({ ok: true, value: { data: null } })
    expect(await exportPdf(web.bridge, '通知')).toBe('printDialog')
    expect(web.saves).toEqual([])
  })
})

describe('editor shortcuts', () => {
  const key = (key: string, extra: Partial<KeyboardEvent> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...extra,
  })

  test('Ctrl+S saves, Ctrl+P prints, Ctrl+Alt+M comments; ⌘ counts as Ctrl', () => {
    expect(shortcutFor(key('s', { ctrlKey: true }))).toBe('save')
    expect(shortcutFor(key('S', { metaKey: true }))).toBe('save')
    expect(shortcutFor(key('p', { ctrlKey: true }))).toBe('print')
    expect(shortcutFor(key('m', { ctrlKey: true, altKey: true }))).toBe('startComment')
  })

  test('other keys and combinations are left to the editor and the browser', () => {
    expect(shortcutFor(key('s'))).toBeNull()
    expect(shortcutFor(key('p', { ctrlKey: true, shiftKey: true }))).toBeNull()
    expect(shortcutFor(key('s', { ctrlKey: true, altKey: true }))).toBeNull()
    expect(shortcutFor(key('b', { ctrlKey: true }))).toBeNull()
  })
})

describe('Ctrl+S outcome', () => {
  test('waits while syncing: 已保存 means the server, 离线 the device', async () => {
    const state = ref<SyncState>('syncing')
    const pending = settleSave(() => state.value, 1000)
    state.value = 'saved'
    expect(await pending).toBe('server')
    const offline = ref<SyncState>('syncing')
    const kept = settleSave(() => offline.value, 1000)
    offline.value = 'offline'
    expect(await kept).toBe('device')
  })

  test('answers at once when settled, and says slow when the relay does not confirm in time', async () => {
    expect(await settleSave(() => 'saved', 1000)).toBe('server')
    expect(await settleSave(() => 'offline', 1000)).toBe('device')
    expect(await settleSave(() => 'syncing', 20)).toBe('slow')
  })
})

describe('window titles', () => {
  test('the page, then the app; the app alone without a page', () => {
    expect(composeWindowTitle('待办', '齐鲁办公')).toBe('待办 - 齐鲁办公')
    expect(composeWindowTitle('《关于 值班\n工作的通知》', '齐鲁办公')).toBe(
      '《关于 值班 工作的通知》 - 齐鲁办公',
    )
    expect(composeWindowTitle('  ', '齐鲁办公')).toBe('齐鲁办公')
  })
})
