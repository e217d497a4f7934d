/** CPU time of one thread, read from Linux procfs (the benchmark compares servers' main threads). */
import fs from 'node:fs'

/** Clock ticks per second of /proc/…/stat; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100

/**
 * @param pid process id
 * @param tid thread id; a process's main thread has tid === pid
 * @returns user + system CPU time of the thread in ms, or null where procfs is unavailable
 */
export function threadCpuMs(pid: number, tid = pid): number | null {
  let stat: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the paren, field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    return null
  }
  return ((utime + stime) * 1000) / TICKS_PER_SECOND
}
