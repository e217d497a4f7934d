/** A readable name of the device behind a session, from its User-Agent. */

const BROWSERS: readonly [RegExp, string][] = [
  [/Electron\//, '齐鲁办公桌面端'],
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/(?:Chromium|HeadlessChrome)\//, 'Chromium'],
  [/Chrome\//, 'Chrome'],
  [/Safari\//, 'Safari'],
]

const SYSTEMS: readonly [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/UOS|Kylin|Deepin/i, '国产操作系统'],
  [/Linux/, 'Linux'],
]

/** @returns e.g. `Chrome · Windows`, or null when the User-Agent says nothing recognisable. */
export function describeDevice(userAgent: string | null): string | null {
  if (userAgent === null || userAgent === '') {
    return null
  }
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const parts = [browser, system].filter((part): part is string => part !== undefined)
  return parts.length === 0 ? userAgent.slice(0, 60) : parts.join(' · ')
}
