import { expect, test } from 'vitest'
import { runDrill } from '../../../scripts/drill'

// The quick mode of `npm run drill` (50 rounds): the relay is killed with SIGKILL right as a save
// barrier is answered, restarted, and every acknowledged change must be in its document.
test('a relay killed with SIGKILL keeps every change it had acknowledged as saved', async () => {
  const result = await runDrill({ rounds: 5 })
  expect(result.rounds).toHaveLength(5)
  for (const round of result.rounds) {
    expect(round.acknowledged).toBeGreaterThan(0)
  }
  expect(result.lostAcknowledged).toBe(0)
}, 180_000)
