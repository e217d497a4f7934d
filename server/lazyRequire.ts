/**
 * Loads a CommonJS package when a code path first needs it rather than when the relay starts:
 * PostgreSQL's driver only on PostgreSQL, ioredis only with Redis configured. Each costs memory
 * and start time on every relay that never uses it.
 *
 * @example
 *   const { Redis } = requireWhenNeeded<{ Redis: typeof Redis }>('ioredis')
 */
import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

/** @returns the package `name` (loaded once; Node caches it). */
export function requireWhenNeeded<T>(name: 'pg' | 'ioredis'): T {
  return load(name) as T
}
