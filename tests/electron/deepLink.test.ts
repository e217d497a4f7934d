import { describe, expect, it } from 'vitest'
import { deepLinkPath, deepLinkTarget, findDeepLink } from '../../electron/main/deepLink'

const ORIGIN = 'http://127.0.0.1:8080'

describe('qilu:// deep links', () => {
  it('open a page of the web client on the trusted origin', () => {
    expect(deepLinkPath('qilu://documents/42')).toBe('/documents/42')
    expect(deepLinkPath('qilu://approvals/7?tab=timeline')).toBe('/approvals/7?tab=timeline')
    expect(deepLinkTarget('qilu://meetings/m-1', ORIGIN)).toBe(`${ORIGIN}/meetings/m-1`)
    expect(deepLinkTarget('qilu://', ORIGIN)).toBe(`${ORIGIN}/`)
  })

  it('keep Chinese path segments', () => {
    expect(deepLinkTarget('qilu://search/%E9%80%9A%E7%9F%A5', ORIGIN)).toBe(
      `${ORIGIN}/search/%E9%80%9A%E7%9F%A5`,
    )
  })

  it('can never leave the trusted origin or climb out of the path', () => {
    for (const link of [
      'qilu://documents/%2E%2E/%2E%2E/api/v1/admin',
      'qilu://documents/a%2Fb',
      'qilu://user:pw@documents/1',
      'qilu://documents:9000/1',
      'qilu://documents/<script>',
      'http://evil.example/documents/1',
      'javascript:alert(1)',
      'qilu:documents',
      `qilu://documents/${'a'.repeat(3000)}`,
      'qilu://documents/%E0%A4%A',
    ]) {
      const target = deepLinkTarget(link, ORIGIN)
      expect(target === null || new URL(target).origin === ORIGIN, link).toBe(true)
      expect(target === null || !target.includes('..'), link).toBe(true)
    }
    expect(deepLinkPath('qilu://documents/%2E%2E')).toBeNull()
    expect(deepLinkPath('http://evil.example/x')).toBeNull()
    expect(deepLinkPath('qilu://a@b/c')).toBeNull()
  })

  it('drop the fragment', () => {
    expect(deepLinkPath('qilu://documents/1#comment-3')).toBe('/documents/1')
  })

  it('are found on a second launch command line', () => {
    expect(findDeepLink(['/opt/Qilu Desk/qilu-desk', '--no-sandbox', 'qilu://documents/9'])).toBe(
      'qilu://documents/9',
    )
    expect(findDeepLink(['C:\\Program Files\\Qilu Desk\\齐鲁办公.exe', 'QILU://inbox'])).toBe(
      'QILU://inbox',
    )
    expect(findDeepLink(['electron', '.'])).toBeNull()
  })
})
