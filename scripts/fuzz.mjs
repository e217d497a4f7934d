// `npm run fuzz [-- --seed <n>] [-- --scale <x>]`: the relay fuzz test (tests/server/relay/relayFuzz.test.ts)
// run longer than in CI (10× the cases by default) with a random seed, printed first so a failing
// run can be replayed exactly with --seed.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'

const root = path.resolve(import.meta.dirname, '..')
const { values } = parseArgs({
  options: { seed: { type: 'string' }, scale: { type: 'string', default: '10' } },
})
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31))
if (!/^\d+$/.test(seed) || !(Number(values.scale) > 0)) {
  console.error(
    'usage: npm run fuzz -- [--seed <non-negative integer>] [--scale <positive number>]',
  )
  process.exit(2)
}
console.log(
  `fuzz seed: ${seed} (scale ${values.scale}); replay with: npm run fuzz -- --seed ${seed}`,
)
const run = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    'tests/server/relay/relayFuzz.test.ts',
    '--testTimeout=600000',
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, QILU_FUZZ_SEED: seed, QILU_FUZZ_SCALE: values.scale },
  },
)
console.log(`fuzz seed: ${seed}`)
process.exit(run.status ?? 1)
