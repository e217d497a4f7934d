/** The first start's one-time admin password, framed for the operator's terminal. */

/** Display width of a line in a terminal: CJK characters take two columns. */
function width(text: string): number {
  let columns = 0
  for (const char of text) {
    columns +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        char,
      )
        ? 2
        : 1
  }
  return columns
}

/** @returns the banner text (ends with a newline). */
export function oneTimePasswordBanner(password: string): string {
  const lines = [
    '齐鲁办公 · 首次启动 (first start)',
    '',
    `管理员账号 (admin account):   admin`,
    `一次性密码 (one-time password): ${password}`,
    '',
    '首次登录后须立即修改密码；此密码不会再次显示。',
    'Change it at the first login; it is not shown again.',
  ]
  const inner = Math.max(...lines.map(width)) + 4
  const pad = (line: string): string => `║  ${line}${' '.repeat(inner - 2 - width(line))}║`
  return ['', `╔${'═'.repeat(inner)}╗`, ...lines.map(pad), `╚${'═'.repeat(inner)}╝`, '', ''].join(
    '\n',
  )
}
