import { describe, expect, it } from 'vitest'
import {
  buildContentSecurityPolicy,
  decideWindowOpen,
  externalUrlAllowed,
  isTrustedSender,
  navigationAllowed,
  permissionAllowed,
  withContentSecurityPolicy,
} from '../../electron/main/securityPolicy'

const ORIGIN = 'http://127.0.0.1:8080'

describe('IPC sender check', () => {
  it('trusts the top-level frame of the trusted origin, on any path', () => {
    expect(
      isTrustedSender({ url: `${ORIGIN}/documents/42?x=1#y`, isMainFrame: true }, ORIGIN),
    ).toBe(true)
  })

  it('refuses other origins, look-alike hosts and other ports', () => {
    for (const url of [
      'http://127.0.0.1:8081/',
      'https://127.0.0.1:8080/',
      'http://localhost:8080/',
      'http://127.0.0.1:8080.evil.example/',
      'http://evil.example/?http://127.0.0.1:8080',
    ]) {
      expect(isTrustedSender({ url, isMainFrame: true }, ORIGIN), url).toBe(false)
    }
  })

  it('refuses opaque origins even when the trusted origin is misconfigured as "null"', () => {
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isMainFrame: true }, 'null')).toBe(false)
    expect(isTrustedSender({ url: 'data:text/html,hi', isMainFrame: true }, 'null')).toBe(false)
    expect(isTrustedSender({ url: 'about:blank', isMainFrame: true }, ORIGIN)).toBe(false)
  })

  it('refuses an iframe even on the trusted origin, and a vanished frame', () => {
    expect(isTrustedSender({ url: `${ORIGIN}/`, isMainFrame: false }, ORIGIN)).toBe(false)
    expect(isTrustedSender(null, ORIGIN)).toBe(false)
  })
})

describe('navigation', () => {
  it('stays within the trusted origin', () => {
    expect(navigationAllowed(`${ORIGIN}/approvals`, ORIGIN)).toBe(true)
  })

  it('is refused to any other origin or scheme', () => {
    for (const url of [
      'https://www.gov.cn/',
      'http://127.0.0.1:9999/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'qilu://documents/1',
      'not a url',
    ]) {
      expect(navigationAllowed(url, ORIGIN), url).toBe(false)
    }
  })
})

describe('window.open', () => {
  it('is always denied; http(s) links go to the system browser instead', () => {
    expect(decideWindowOpen('https://www.shandong.gov.cn/notice')).toEqual({
      action: 'deny',
      openExternally: 'https://www.shandong.gov.cn/notice',
    })
    expect(decideWindowOpen(`${ORIGIN}/documents/1`).action).toBe('deny')
  })

  it('never hands other schemes or disguised hosts to the operating system', () => {
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-msdt:/id',
      'qilu://documents/1',
      'https://www.gov.cn@evil.example/',
      'about:blank',
    ]) {
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny', openExternally: null })
      expect(externalUrlAllowed(url), url).toBe(false)
    }
  })
})

describe('permissions', () => {
  it('grants notifications to the trusted origin only', () => {
    expect(permissionAllowed('notifications', `${ORIGIN}/inbox`, ORIGIN)).toBe(true)
    expect(permissionAllowed('notifications', ORIGIN, ORIGIN)).toBe(true)
    expect(permissionAllowed('notifications', 'https://evil.example/', ORIGIN)).toBe(false)
  })

  it('denies everything else, even to the trusted origin', () => {
    for (const permission of [
      'media',
      'geolocation',
      'clipboard-read',
      'hid',
      'openExternal',
      'fullscreen',
    ]) {
      expect(permissionAllowed(permission, ORIGIN, ORIGIN), permission).toBe(false)
    }
  })
})

describe('content security policy', () => {
  const csp = buildContentSecurityPolicy({ trustedOrigin: ORIGIN, relayOrigin: ORIGIN })
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name, values] as const
    }),
  )

  it('allows scripts from the app origin only: no inline, no eval, no other hosts', () => {
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(csp).not.toContain('unsafe-eval')
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'")
    expect(directives.get('default-src')).toEqual(["'self'"])
  })

  it('lets the client reach the relay over HTTP and WebSocket and nothing else', () => {
    expect(directives.get('connect-src')?.sort()).toEqual(
      ["'self'", ORIGIN, 'ws://127.0.0.1:8080'].sort(),
    )
  })

  it('forbids plugins, framing, foreign base URLs and form targets', () => {
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'self'"])
    expect(directives.get('form-action')).toEqual(["'self'"])
  })

  it('in dev allows the dev server and the relay, with wss for an https relay', () => {
    const dev = buildContentSecurityPolicy({
      trustedOrigin: 'http://localhost:5173',
      relayOrigin: 'https://oa.example.gov.cn',
    })
    expect(dev).toContain(
      "connect-src 'self' http://localhost:5173 ws://localhost:5173 https://oa.example.gov.cn wss://oa.example.gov.cn",
    )
  })

  it('lets sync sockets reach the other relay nodes of the deployment, and only those', () => {
    const nodes = buildContentSecurityPolicy({
      trustedOrigin: ORIGIN,
      relayOrigin: ORIGIN,
      relayNodes: ['https://oa2.example.gov.cn'],
    })
    expect(nodes).toContain(
      `connect-src 'self' ${ORIGIN} ws://127.0.0.1:8080 https://oa2.example.gov.cn wss://oa2.example.gov.cn;`,
    )
  })

  it('is added to responses, next to a policy the server already sent', () => {
    expect(withContentSecurityPolicy(undefined, csp)).toEqual({ 'Content-Security-Policy': [csp] })
    const headers = {
      'content-security-policy': ["default-src 'self'"],
      'content-type': ['text/html'],
    }
    expect(withContentSecurityPolicy(headers, csp)).toEqual({
      'content-security-policy': ["default-src 'self'", csp],
      'content-type': ['text/html'],
    })
    expect(headers['content-security-policy']).toHaveLength(1)
  })
})
