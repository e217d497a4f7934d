/**
 * Calendar dates in Asia/Shanghai (UTC+8, no daylight saving since 1991), for the year of a
 * 发文字号 and the full date a 签发 records, whatever the time zone of the machine.
 *
 * @example
 *   shanghaiYear('2026-12-31T16:00:00.000Z') // 2027
 *   shanghaiDateText('2026-12-07T02:21:26.000Z') // '2026年12月7日'
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000

function shanghai(time: string | number): Date {
  return new Date((typeof time === 'number' ? time : Date.parse(time)) + SHANGHAI_OFFSET_MS)
}

/** @returns the calendar year in Asia/Shanghai of an instant (ISO string or epoch ms). */
export function shanghaiYear(time: string | number): number {
  return shanghai(time).getUTCFullYear()
}

/** @returns the full date in Asia/Shanghai as GB/T 9704 writes it: 2026年12月7日 (no leading zeros). */
export function shanghaiDateText(time: string | number): string {
  const date = shanghai(time)
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`
}
