/**
 * Services a test run starts (Samba, slapd) outlive it when the run is killed from outside:
 * SIGKILL skips the exit hooks that stop them. Such a stray holds what the next run needs
 * (Samba's fixed ports 389/636) until someone kills it by hand. `reapStrays(marker)` ends every
 * process whose command line contains `marker` (the service's temp-dir prefix) and whose
 * parent is neither such a process nor a Node process, i.e. whose test run is gone, with all
 * its descendants, and removes the temp dirs it named. A live run's services (children of its
 * Node process) are left alone.
 */
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, sep } from 'node:path';

interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string;
}

/**
 * Whether `pid` runs Node (a test run). Read from its executable, not its name: Node 24 names
 * its main thread `MainThread`.
 */
function isNode(pid: number): boolean {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`)) === 'node';
  } catch {
    return false;
  }
}

function processes(): Map<number, ProcInfo> {
  const all = new Map<number, ProcInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      all.set(Number(entry), {
        pid: Number(entry),
        // After the command name: state, then the parent's pid.
        ppid: Number(stat.slice(close + 2).split(' ')[1]),
        cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '),
      });
    } catch {
      // The process ended while it was being read.
    }
  }
  return all;
}

/** Kills the strays of `marker`; returns how many processes it killed. */
export function reapStrays(marker: string): number {
  const all = processes();
  const marked = (p: ProcInfo | undefined) => p?.cmdline.includes(marker) === true;
  const roots = [...all.values()].filter((p) => {
    if (!marked(p) || p.pid === process.pid) return false;
    const parent = all.get(p.ppid);
    return !marked(parent) && !isNode(p.ppid);
  });
  const doomed = new Set<number>();
  const pending = roots.map((p) => p.pid);
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    doomed.add(pid);
    for (const child of all.values()) if (child.ppid === pid) pending.push(child.pid);
  }
  const dirs = new Set<string>();
  const dirPattern = new RegExp(
    `(${escapeRegExp(tmpdir() + sep)}${escapeRegExp(marker)}[A-Za-z0-9]+)`,
  );
  for (const pid of doomed) {
    const dir = dirPattern.exec(all.get(pid)?.cmdline ?? '')?.[1];
    if (dir !== undefined) dirs.add(dir);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return doomed.size;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
