// `npm run build:server`: the relay as JavaScript in out/server (ES modules, one file per entry),
// so a production start needs neither tsx nor TypeScript. The project's code and its pure-JS
// packages are bundled: a start then reads one file instead of resolving and compiling some 260
// package files (Node's module loader was most of the start's CPU, issue 23). Native packages and
// those loaded on first use stay in node_modules (`npm ci --omit=dev`).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { trimSourceMap } from './trimSourceMap.mjs'

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
 * Packages left to node_modules: native addons, packages the relay loads on first use (bundled, they
 * would be read and parsed at every start), pino (its transports run files of the package in a
 * worker thread), ws's optional native helpers, and tsx (source runs only).
 */
export const EXTERNAL_PACKAGES = [
  'better-sqlite3',
  'exceljs',
  'pinyin-pro',
  '@zxcvbn-ts/*',
  'pg',
  'ioredis',
  'pino',
  'pino-pretty',
  'bufferutil',
  'utf-8-validate',
  'tsx',
]

/**
 * V8 keeps a script's source in memory, two bytes a character if a single one is outside Latin-1:
 * escape what esbuild leaves (characters in regular expression literals), so the relay's 3 MB
 * bundle is kept as one-byte text. `\uXXXX` means the same character in strings, templates,
 * regular expressions and identifiers (source map columns move on the few lines concerned);
 * comments are gone with minifyWhitespace.
 * @param {string} file
 */
function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8')
  // An odd run of backslashes before the character escapes it (`\：` is `：`): the escape replaces it.
  const escaped = text.replace(
    /(\\*)([^\0-\x7f])/g,
    (_, slashes, c) =>
      `${slashes.slice(slashes.length % 2)}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  if (escaped !== text) {
    fs.writeFileSync(file, escaped)
  }
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
    external: EXTERNAL_PACKAGES,
    // Whitespace and syntax only: names stay, so stack traces and logs read as before.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'ascii',
    // Source maps serve the relay's stack traces (server/*.ts lines): the sources' text is not
    // needed for that, nor the packages' mappings (trimSourceMap), and Node keeps the map loaded.
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
    // The bundle is ESM: give CommonJS-minded code what it expects.
    banner: {
      js: "import { createRequire as __qiluRequire } from 'node:module'; const require = __qiluRequire(import.meta.url);",
    },
  })
  for (const name of Object.keys(SERVER_ENTRIES)) {
    asciiOnly(path.join(outdir, `${name}.js`))
    const mapFile = path.join(outdir, `${name}.js.map`)
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'))
    fs.writeFileSync(
      mapFile,
      JSON.stringify(trimSourceMap(map, (source) => !source.includes('node_modules/'))),
    )
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `--outdir <dir>` builds elsewhere (tests assemble a production tree in a temporary folder).
  const at = process.argv.indexOf('--outdir')
  const outdir = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : 'out/server'
  await buildServer(outdir)
  console.log(`${path.relative(root, path.resolve(root, outdir)) || outdir} built`)
}
