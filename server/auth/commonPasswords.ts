/**
 * Refuses guessable passwords with zxcvbn-ts and its common dictionary (leaked-password lists,
 * keyboard patterns, dates, l33t spellings), on top of the 等保 rules of shared/domain/passwordPolicy.
 * The dictionary (about a megabyte) is loaded on the first check, so the relay starts fast.
 *
 * @example
 *   if (await isGuessable('Password@123', ['zhangsan', '张三'])) refuse()
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core'

/**
 * Lowest zxcvbn score accepted: 3 is "safely unguessable" (about 10^8 guesses and more).
 * 'Password@123' scores 2 and 'P@ssw0rd1' 1, though both pass the character-class rules.
 */
export const MIN_PASSWORD_SCORE = 3

let factory: Promise<ZxcvbnFactory> | null = null

function load(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [{ ZxcvbnFactory: Factory }, common] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
    ])
    return new Factory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs })
  })()
  return factory
}

/**
 * @param userInputs what the account is known by (username, name): a password built on them is guessable
 * @returns whether the password is common or otherwise easy to guess
 */
export async function isGuessable(
  password: string,
  userInputs: readonly string[],
): Promise<boolean> {
  const zxcvbn = await load()
  return zxcvbn.check(password, [...userInputs]).score < MIN_PASSWORD_SCORE
}
