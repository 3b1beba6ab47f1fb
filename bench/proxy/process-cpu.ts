/**
 * CPU time of a process and its descendants from /proc, for "CPU µs per request": on a shared
 * 2-core machine this moves far less between runs than latency does.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of `pid` and every live descendant, in seconds; 0 if it is gone. */
export function cpuSecondsOfTree(pid: number): number {
  let ticks = 0;
  const pending = [pid];
  for (let p = pending.pop(); p !== undefined; p = pending.pop()) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name, which may contain spaces, start at index 2 (state).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      if (children !== '') pending.push(...children.split(' ').map(Number));
    } catch {
      // The process ended between the two reads.
    }
  }
  return ticks / TICKS_PER_SECOND;
}
