/** Password policy of 等保2.0 level 3: length, character classes, not containing the username. */
import { MIN_PASSWORD_LENGTH } from '../limits'

/**
 * @returns null when the password is acceptable, else a short machine-readable reason:
 *   'too_short' | 'too_few_classes' | 'contains_username'.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return 'too_short'
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password))
  if (classes.length < 3) {
    return 'too_few_classes'
  }
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'contains_username'
  }
  return null
}
