/**
 * Meeting times: parsed from ISO 8601 with an offset, answered in +08:00 (Asia/Shanghai, which has
 * had no daylight saving time since 1991), compared as half-open intervals [start, end).
 */
import { badRequest } from '../domain/errors'

/** Asia/Shanghai's offset from UTC (ms). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/** @returns ms since the epoch of an ISO time with offset. @throws DomainError bad_request */
export function parseTime(iso: string, field: string): number {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) {
    throw badRequest(`时间格式无效 (invalid time): ${field}`)
  }
  return ms
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** @returns the time in ISO 8601 at +08:00, e.g. `2026-12-07T09:30:00+08:00`. */
export function shanghaiIso(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS)
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  return `${date}T${time}+08:00`
}

/** @returns the start of the Shanghai day holding `ms`. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS
}

/** @returns minutes since Shanghai midnight of `ms`. */
export function shanghaiMinuteOfDay(ms: number): number {
  return Math.floor((ms - shanghaiDayStart(ms)) / 60_000)
}

/** @returns whether [aStart, aEnd) and [bStart, bEnd) share an instant (touching ends do not). */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd
}

/** @returns minutes of a local `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** One week (ms). */
export const WEEK_MS = 7 * DAY_MS
/** One day (ms). */
export const ONE_DAY_MS = DAY_MS
