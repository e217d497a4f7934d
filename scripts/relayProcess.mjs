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
 * A semi-space of V8's young generation is capped at 8 MB. Left to itself V8 grows the young
 * generation to 64 MB (twice V8's 32 MB: Node runs without pointer compression) when most young
 * objects survive — as every item of a document loaded cold does — and each scavenge then copies a
 * whole semi-space of live objects while every room waits: 250–300 ms during a 16 MB cold load on
 * the benchmark machine, 52–71 ms with the cap (BENCHMARKS.md §10, "The young generation capped at
 * 8 MB"). The fan-out's and the hot room's CPU per update did not move within the runs' spread,
 * and an idle relay's memory is the same (the idle collection shrinks the young generation either
 * way, server/idleMemory.ts). 4 MB cut the pauses a little more and cost CPU per update under load.
 * QILU_SEMI_SPACE_MB overrides it; 0 leaves V8's default.
 */
export const SEMI_SPACE_MB = 8

/**
 * @returns the Node arguments before the relay's entry point; QILU_V8_FLAGS (space-separated, from
 *   the operator's environment) adds V8 flags after the project's, for measuring others
 */
export function relayNodeArgs(env = process.env) {
  const semi = Number(env.QILU_SEMI_SPACE_MB ?? SEMI_SPACE_MB)
  const extra = (env.QILU_V8_FLAGS ?? '').split(/\s+/).filter((flag) => flag.startsWith('--'))
  return [
    ...(Number.isInteger(semi) && semi > 0 ? [`--max-semi-space-size=${semi}`] : []),
    ...extra,
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
