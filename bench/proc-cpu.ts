// CPU time of a process and all its descendants, from /proc (Linux): the browser's own processes
// (browser, renderers, GPU, network, storage) for `bundle_10k_cpu_s`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** [ppid, utime + stime in ticks] of a process, from /proc/PID/stat; undefined when it is gone. */
function statOf(pid: number): [number, number] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields follow its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    return [Number(fields[1]), Number(fields[11]) + Number(fields[12])];
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by `root` and every process below it, each by pid. */
export function treeCpu(root: number): Map<number, number> {
  const stats = new Map<number, [number, number]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = statOf(pid);
    if (stat) stats.set(pid, stat);
  }
  const inTree = new Set([root]);
  // Parents may have higher pids than their children (pid wrap): go round until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, [ppid]] of stats) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  const cpu = new Map<number, number>();
  for (const pid of inTree) {
    const stat = stats.get(pid);
    if (stat) cpu.set(pid, stat[1] / TICKS_PER_S);
  }
  return cpu;
}

/** CPU seconds the tree used between two readings (processes started meanwhile count whole). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}
