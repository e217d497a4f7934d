// How the built relay's Node process runs (issue 23): its flags and environment, shared by
// `npm start` (scripts/start.mjs), `npm run cluster` and the scale benchmark, so what is measured is
// what runs. Importing it has no effect.

/**
 * Stack traces of the relay's own code point at server/*.ts through out/server's source maps, but
 * not those of packages: `--enable-source-maps` would read and keep the source maps of every
 * package loaded (some 25 MB of the relay's memory, and start time), for frames nobody reads.
 */
export const SOURCE_MAPS =
  'data:text/javascript,import m from "node:module"; m.setSourceMapsSupport(true, { nodeModules: false })'

/**
 * V8's young generation grows during the start's allocations (to 64 MB measured) and is not given
 * back by itself while the relay idles; the idle collection (server/idleMemory.ts) now shrinks it,
 * so no cap is needed for idle memory and V8's default (0) is kept: a 4 MB cap cost CPU per update
 * under load (BENCHMARKS.md §10). QILU_SEMI_SPACE_MB caps a semi-space (MB) for a host that wants
 * less memory under load.
 */
export const SEMI_SPACE_MB = 0

/** @returns the Node arguments before the relay's entry point. */
export function relayNodeArgs(env = process.env) {
  const semi = Number(env.QILU_SEMI_SPACE_MB ?? SEMI_SPACE_MB)
  return [
    ...(Number.isInteger(semi) && semi > 0 ? [`--max-semi-space-size=${semi}`] : []),
    // The relay runs a memory-reducing collection when it goes idle (server/idleMemory.ts); no
    // untrusted code runs in its process, so the exposed `gc` is no hazard.
    '--expose-gc',
    '--import',
    SOURCE_MAPS,
  ]
}

/**
 * @param {string} compileCache where V8's compiled code of the relay is kept between starts (Node
 *   checks each entry against its source; a restart compiles less)
 * @returns the environment the relay adds to the caller's (the caller's own values win)
 */
export function relayEnv(compileCache) {
  return {
    NODE_COMPILE_CACHE: compileCache,
    // glibc gives each thread that allocates its own malloc arena (up to 8 per core) and keeps what
    // the start's compiler threads used; two arenas hold the relay's idle memory lower.
    MALLOC_ARENA_MAX: '2',
  }
}
