/**
 * Server CPU time from /proc/<pid>/stat: utime + stime (fields 14 and 15, in clock ticks) of
 * every thread of the process. Children's time (cutime, cstime) is not counted.
 * A tick is 10 ms, coarse for short runs, so the sum of the threads' on-CPU nanoseconds from
 * /proc/<pid>/task/<tid>/schedstat is recorded beside it as a finer cross-check.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { CpuUsage } from './report.js';

export interface ProcCpuSample {
  pid: number;
  utime: number;
  stime: number;
  /** Sum of the live threads' on-CPU time in ns (schedstat), null where the kernel has none. */
  runtimeNs?: number | null;
}

/** Parse the text of /proc/<pid>/stat. The command name may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcCpuSample {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  const pid = Number(text.slice(0, open).trim());
  // Fields after the command name start at field 3 (state): utime is field 14, stime field 15.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!Number.isInteger(pid) || !Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new Error(`cannot read pid/utime/stime from /proc/<pid>/stat: ${JSON.stringify(text.slice(0, 120))}`);
  }
  return { pid, utime, stime };
}

/** On-CPU nanoseconds of every live thread of the process (first field of each schedstat). */
export function readThreadsRuntimeNs(pid: number): number | null {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return Number.isFinite(total) ? total : null;
  } catch {
    return null;
  }
}

export function readProcCpu(pid: number): ProcCpuSample {
  return { ...parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')), runtimeNs: readThreadsRuntimeNs(pid) };
}

/** sysconf(_SC_CLK_TCK), read through getconf; 100 (Linux's USER_HZ) if that fails. */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** CPU used between two samples of the same process, per request sent. */
export function cpuUsage(before: ProcCpuSample, after: ProcCpuSample, requests: number, ticksPerSecond = clockTicksPerSecond()): CpuUsage {
  if (before.pid !== after.pid) throw new Error(`CPU samples of different processes (${before.pid}, ${after.pid})`);
  const ticks = after.utime + after.stime - (before.utime + before.stime);
  const seconds = ticks / ticksPerSecond;
  return {
    pid: after.pid,
    source: `/proc/${after.pid}/stat utime+stime`,
    ticks,
    clockTicksPerSecond: ticksPerSecond,
    seconds,
    perRequestUs: requests > 0 ? (seconds * 1e6) / requests : null,
    resolution: ticks > 0 ? 1 / ticks : null,
    schedstatPerRequestUs:
      before.runtimeNs != null && after.runtimeNs != null && requests > 0 ? (after.runtimeNs - before.runtimeNs) / 1000 / requests : null,
  };
}

/**
 * Milliseconds of CPU per second of `seconds` between two samples of one process: the threads'
 * on-CPU nanoseconds where the kernel has them (finer), else utime + stime.
 */
export function cpuMsPerSecond(before: ProcCpuSample, after: ProcCpuSample, seconds: number, ticksPerSecond?: number): number {
  if (before.pid !== after.pid) throw new Error(`CPU samples of different processes (${before.pid}, ${after.pid})`);
  if (!(seconds > 0)) throw new Error(`not a duration: ${seconds}`);
  if (before.runtimeNs != null && after.runtimeNs != null) return (after.runtimeNs - before.runtimeNs) / 1e6 / seconds;
  // The clock tick rate (a getconf run when not given) only when the ticks are what is read.
  return (cpuUsage(before, after, 0, ticksPerSecond).seconds * 1000) / seconds;
}
