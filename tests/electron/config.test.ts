import { describe, expect, it } from 'vitest'
import { DEFAULT_SERVER_URL, resolveRendererTarget } from '../../electron/main/config'

describe('renderer target', () => {
  it('loads the relay on the default address when nothing is configured', () => {
    expect(resolveRendererTarget({})).toEqual({
      url: `${DEFAULT_SERVER_URL}/`,
      trustedOrigin: DEFAULT_SERVER_URL,
      relayOrigin: DEFAULT_SERVER_URL,
      relayNodes: [],
      dev: false,
    })
  })

  it('loads the first of several relay nodes and knows the others, for the sockets to fail over to', () => {
    const target = resolveRendererTarget({
      QILU_SERVER_URL:
        'https://oa1.example.gov.cn/, https://OA2.example.gov.cn:443/x,https://oa1.example.gov.cn',
    })
    expect(target).toMatchObject({
      url: 'https://oa1.example.gov.cn/',
      trustedOrigin: 'https://oa1.example.gov.cn',
      relayNodes: ['https://oa2.example.gov.cn'],
    })
    expect(() =>
      resolveRendererTarget({ QILU_SERVER_URL: 'https://oa1.example.gov.cn,ftp://oa2' }),
    ).toThrow(/http/)
  })

  it('loads the relay named by QILU_SERVER_URL and trusts its origin only', () => {
    const target = resolveRendererTarget({ QILU_SERVER_URL: 'https://oa.example.gov.cn/qilu/' })
    expect(target.url).toBe('https://oa.example.gov.cn/qilu/')
    expect(target.trustedOrigin).toBe('https://oa.example.gov.cn')
  })

  it('loads the Vite dev server under electron-vite dev, still knowing the relay', () => {
    const target = resolveRendererTarget({
      ELECTRON_RENDERER_URL: 'http://localhost:5173',
      QILU_SERVER_URL: 'http://127.0.0.1:8080',
    })
    expect(target).toMatchObject({
      url: 'http://localhost:5173/',
      trustedOrigin: 'http://localhost:5173',
      dev: true,
    })
    expect(target.relayOrigin).toBe('http://127.0.0.1:8080')
  })

  it('refuses to start on a URL that is not http(s) or carries credentials', () => {
    expect(() => resolveRendererTarget({ QILU_SERVER_URL: 'file:///opt/qilu/index.html' })).toThrow(
      /http/,
    )
    expect(() => resolveRendererTarget({ QILU_SERVER_URL: '127.0.0.1:8080' })).toThrow(/http/)
    expect(() =>
      resolveRendererTarget({ QILU_SERVER_URL: 'http://admin:pw@127.0.0.1:8080' }),
    ).toThrow(/credentials/)
    expect(() => resolveRendererTarget({ ELECTRON_RENDERER_URL: 'javascript:1' })).toThrow(/http/)
  })
})
