// `npm run build:server`: the relay as JavaScript in out/server (ES modules, one file per entry),
// so a production start needs neither tsx nor TypeScript. Packages stay external: they come from
// node_modules (`npm ci --omit=dev`), the project's own code is bundled.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(import.meta.dirname, '..')

/** Entry points: the relay, its worker threads, and the operators' scripts. */
export const SERVER_ENTRIES = {
  main: 'server/main.ts',
  roomLogWorker: 'server/storage/roomlog/roomLogWorker.ts',
  sliceWorker: 'server/policy/sliceWorker.ts',
  sm2VerifyWorker: 'server/approvals/sm2VerifyWorker.ts',
  auditVerify: 'scripts/auditVerify.ts',
  verifyEvidence: 'scripts/verifyEvidence.ts',
}

/**
 * Builds every entry into `outdir` (tests build their own copy, to start the relay and the scripts
 * without compiling TypeScript at each start).
 * @param {string} outdir
 */
export async function buildServer(outdir) {
  await build({
    absWorkingDir: root,
    entryPoints: SERVER_ENTRIES,
    outdir,
    outExtension: { '.js': '.js' },
    bundle: true,
    // No code splitting: a worker's URL is resolved against the bundle that starts it (out/server).
    format: 'esm',
    platform: 'node',
    target: 'node24',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    // The bundle is ESM: give CommonJS-minded code what it expects.
    banner: {
      js: "import { createRequire as __qiluRequire } from 'node:module'; const require = __qiluRequire(import.meta.url);",
    },
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `--outdir <dir>` builds elsewhere (tests assemble a production tree in a temporary folder).
  const at = process.argv.indexOf('--outdir')
  const outdir = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : 'out/server'
  await buildServer(outdir)
  console.log(`${path.relative(root, path.resolve(root, outdir)) || outdir} built`)
}
