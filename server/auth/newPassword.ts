/**
 * The rules a new password must meet: the 等保 rules shared with the client
 * (shared/domain/passwordPolicy.ts), and not being common or easy to guess (commonPasswords.ts).
 */
import { DomainError } from '../domain/errors'
import { passwordProblem } from '../../shared/domain/passwordPolicy'
import { isGuessable } from './commonPasswords'

/** What to tell the user when a new password is refused, per shared passwordProblem reason. */
const PASSWORD_MESSAGES: Record<string, string> = {
  too_short: '密码至少 8 位 (at least 8 characters)',
  too_few_classes: '密码须包含大写字母、小写字母、数字、符号中的至少三类 (3 character classes)',
  contains_username: '密码不能包含用户名 (must not contain the username)',
  too_common: '密码过于常见或容易被猜到，请换一个更不易猜到的密码 (too common or easy to guess)',
}

/** @throws DomainError weak_password when the password breaks the policy or is easy to guess. */
export async function checkPolicy(
  password: string,
  username: string,
  displayName: string,
): Promise<void> {
  const problem =
    passwordProblem(password, username) ??
    ((await isGuessable(password, [username, displayName])) ? 'too_common' : null)
  if (problem !== null) {
    throw new DomainError('weak_password', PASSWORD_MESSAGES[problem] ?? problem)
  }
}
