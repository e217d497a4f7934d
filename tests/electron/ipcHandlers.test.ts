import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/ipc/contract'
import type { NotifyRequest, SaveFileRequest } from '../../shared/ipc/contract'
import { MAX_SAVE_FILE_BYTES } from '../../shared/ipc/schemas'
import { createIpcHandlers } from '../../electron/main/ipcHandlers'
import type { Logger } from '../../electron/main/logger'
import type { SenderFrame } from '../../electron/main/securityPolicy'
import { ServiceFailure } from '../../electron/main/services/desktopServices'
import type { DesktopServices } from '../../electron/main/services/desktopServices'

const ORIGIN = 'http://127.0.0.1:8080'
const TRUSTED: SenderFrame = { url: `${ORIGIN}/documents/1`, isMainFrame: true }
const FOREIGN: SenderFrame = { url: 'https://evil.example/', isMainFrame: true }

interface Window {
  readonly id: number
}

/** Services that record what reached them. */
class RecordingServices implements DesktopServices<Window> {
  readonly calls: string[] = []
  saved: SaveFileRequest[] = []
  token: string | null = null
  failWith: Error | null = null

  private record(name: string): void {
    this.calls.push(name)
    if (this.failWith) {
      throw this.failWith
    }
  }

  async appInfo() {
    this.record('appInfo')
    return { kind: 'desktop', version: '1.2.3' } as const
  }
  async saveFile(_caller: Window, request: SaveFileRequest) {
    this.record('saveFile')
    this.saved.push(request)
    return { saved: true }
  }
  async printToPdf() {
    this.record('printToPdf')
    return { data: new Uint8Array([37, 80, 68, 70]) }
  }
  async notify(_caller: Window, _request: NotifyRequest) {
    this.record('notify')
  }
  async enableNotifications() {
    this.record('enableNotifications')
    return { granted: true }
  }
  async loadCredential() {
    this.record('loadCredential')
    return this.token
  }
  async storeCredential(token: string) {
    this.record('storeCredential')
    this.token = token
  }
  async clearCredential() {
    this.record('clearCredential')
    this.token = null
  }
  readonly keys = new Map<string, string>()
  async deviceKey(account: string) {
    this.record('deviceKey')
    return this.keys.get(account) ?? null
  }
  async createDeviceKey(account: string) {
    this.record('createDeviceKey')
    const key = this.keys.get(account) ?? `04${account.padEnd(128, '0')}`
    this.keys.set(account, key)
    return key
  }
  async signWithDeviceKey(account: string, data: Uint8Array) {
    this.record('signWithDeviceKey')
    return `${account}:${data.length}`
  }
  async forgetDeviceKey(account: string) {
    this.record('forgetDeviceKey')
    this.keys.delete(account)
  }
}

function quietLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = []
  const push = (message: string) => {
    lines.push(message)
  }
  return { lines, info: push, warn: push, error: push }
}

function setup() {
  const services = new RecordingServices()
  const logger = quietLogger()
  const handlers = createIpcHandlers(services, { trustedOrigin: ORIGIN, logger })
  return { services, logger, handlers, window: { id: 1 } }
}

const goodFile = {
  suggestedName: '关于做好2025年防汛工作的通知.docx',
  mimeType: 'application/pdf',
  data: new Uint8Array([1, 2, 3]),
}

describe('IPC handlers', () => {
  it('device keys: an account id that could be a path, or a payload too large, never reaches the service', async () => {
    const { handlers, window, services } = setup()
    for (const account of ['../etc/passwd', 'a/b', '', 'x'.repeat(101), 'user id']) {
      expect(await handlers.createDeviceKey(window, TRUSTED, [{ account }])).toEqual({
        ok: false,
        code: 'invalid_arguments',
      })
    }
    const tooLarge = new Uint8Array(64 * 1024 + 1)
    expect(
      await handlers.signWithDeviceKey(window, TRUSTED, [{ account: 'u1', data: tooLarge }]),
    ).toEqual({ ok: false, code: 'invalid_arguments' })
    expect(
      await handlers.signWithDeviceKey(window, TRUSTED, [{ account: 'u1', data: 'text' }]),
    ).toEqual({ ok: false, code: 'invalid_arguments' })
    expect(services.calls).toEqual([])
    expect(await handlers.createDeviceKey(window, FOREIGN, [{ account: 'u1' }])).toEqual({
      ok: false,
      code: 'untrusted_sender',
    })
    const created = await handlers.createDeviceKey(window, TRUSTED, [{ account: 'u_1-A' }])
    expect(created.ok).toBe(true)
    expect(await handlers.deviceKey(window, TRUSTED, [{ account: 'u_1-A' }])).toEqual(created)
    expect(
      await handlers.signWithDeviceKey(window, TRUSTED, [
        { account: 'u_1-A', data: new Uint8Array([1, 2, 3]) },
      ]),
    ).toEqual({ ok: true, value: { signature: 'u_1-A:3' } })
  })

  it('has a handler for every channel of the contract', () => {
    const { handlers } = setup()
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(IPC_CHANNELS).sort())
  })

  it('serve a trusted page and wrap the value in an ok result', async () => {
    const { handlers, window, services } = setup()
    expect(await handlers.appInfo(window, TRUSTED, [])).toEqual({
      ok: true,
      value: { kind: 'desktop', version: '1.2.3' },
    })
    expect(await handlers.saveFile(window, TRUSTED, [goodFile])).toEqual({
      ok: true,
      value: { saved: true },
    })
    expect(services.saved[0]?.data).toEqual(new Uint8Array([1, 2, 3]))
    expect(await handlers.notify(window, TRUSTED, [{ title: '新的待办', body: '请审批' }])).toEqual(
      { ok: true, value: null },
    )
  })

  it('keep a credential across store, load and clear', async () => {
    const { handlers, window } = setup()
    expect(await handlers.loadCredential(window, TRUSTED, [])).toEqual({ ok: true, value: null })
    expect(await handlers.storeCredential(window, TRUSTED, ['tok_abc.DEF-123'])).toEqual({
      ok: true,
      value: null,
    })
    expect(await handlers.loadCredential(window, TRUSTED, [])).toEqual({
      ok: true,
      value: 'tok_abc.DEF-123',
    })
    await handlers.clearCredential(window, TRUSTED, [])
    expect(await handlers.loadCredential(window, TRUSTED, [])).toEqual({ ok: true, value: null })
  })

  it('refuse a page from another origin before looking at its arguments', async () => {
    const { handlers, window, services, logger } = setup()
    for (const [name, handler] of Object.entries(handlers)) {
      expect(await handler(window, FOREIGN, []), name).toEqual({
        ok: false,
        code: 'untrusted_sender',
      })
    }
    expect(await handlers.loadCredential(window, null, [])).toEqual({
      ok: false,
      code: 'untrusted_sender',
    })
    expect(
      await handlers.loadCredential(window, { url: `${ORIGIN}/`, isMainFrame: false }, []),
    ).toEqual({
      ok: false,
      code: 'untrusted_sender',
    })
    expect(services.calls).toEqual([])
    expect(logger.lines).toContain('ipc refused: untrusted sender')
  })

  it('answer invalid_arguments to malformed calls without reaching the service', async () => {
    const { handlers, window, services } = setup()
    const bad: [keyof typeof handlers, unknown[]][] = [
      ['appInfo', ['extra']],
      ['saveFile', []],
      ['saveFile', [goodFile, 'extra']],
      ['saveFile', [{ ...goodFile, suggestedName: '../../.bashrc' }]],
      ['saveFile', [{ ...goodFile, suggestedName: 'C:\\Windows\\evil.dll' }]],
      ['saveFile', [{ ...goodFile, suggestedName: '..' }]],
      ['saveFile', [{ ...goodFile, suggestedName: '' }]],
      ['saveFile', [{ ...goodFile, suggestedName: 'a\u0000.txt' }]],
      ['saveFile', [{ ...goodFile, mimeType: 'not a mime type' }]],
      ['saveFile', [{ ...goodFile, data: 'AQID' }]],
      ['saveFile', [{ ...goodFile, data: [1, 2, 3] }]],
      ['saveFile', [{ ...goodFile, data: { byteLength: 3 } }]],
      ['printToPdf', [{}]],
      ['printToPdf', [{ title: 42 }]],
      ['notify', [{ title: '', body: 'x' }]],
      ['notify', [{ title: 'x' }]],
      ['notify', ['just a string']],
      ['notify', [{ title: '   ', body: 'x' }]],
      ['notify', [{ title: 'x', body: 'bell\u0007' }]],
      ['storeCredential', []],
      ['storeCredential', ['']],
      ['storeCredential', ['has space']],
      ['storeCredential', [{ token: 'x' }]],
      ['storeCredential', ['x'.repeat(10_000)]],
      ['clearCredential', [null]],
    ]
    for (const [method, args] of bad) {
      expect(
        await handlers[method](window, TRUSTED, args),
        `${method} ${JSON.stringify(args)}`,
      ).toEqual({
        ok: false,
        code: 'invalid_arguments',
      })
    }
    expect(services.calls).toEqual([])
  })

  it('refuse a file larger than the save limit', async () => {
    const { handlers, window } = setup()
    // A view claiming a huge length without allocating it.
    const huge = new Uint8Array(new ArrayBuffer(8))
    Object.defineProperty(huge, 'byteLength', { value: MAX_SAVE_FILE_BYTES + 1 })
    expect(await handlers.saveFile(window, TRUSTED, [{ ...goodFile, data: huge }])).toEqual({
      ok: false,
      code: 'invalid_arguments',
    })
  })

  it('pass a service failure code through and hide other errors behind failed', async () => {
    const { handlers, window, services, logger } = setup()
    services.failWith = new ServiceFailure('unsupported', 'no keyring')
    expect(await handlers.storeCredential(window, TRUSTED, ['tok'])).toEqual({
      ok: false,
      code: 'unsupported',
    })
    services.failWith = new Error('EACCES: permission denied, open /secret/path')
    const result = await handlers.saveFile(window, TRUSTED, [goodFile])
    expect(result).toEqual({ ok: false, code: 'failed' })
    expect(JSON.stringify(result)).not.toContain('/secret/path')
    expect(logger.lines).toContain('ipc call failed')
  })
})
