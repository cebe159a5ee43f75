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

/** A process's kind as Chromium starts it (`--type=renderer`, …), `browser` without one. */
function processKind(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
    if (type !== 'utility') return type ?? 'browser';
    // The network and storage services are both utilities: their sandbox type tells them apart.
    return /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1]?.split('.').at(-2) ?? 'utility';
  } catch {
    return 'gone';
  }
}

/** Each process's CPU seconds (by pid) and each live thread's (by `pid/tid`, with a label). */
export interface ThreadCpu {
  processes: Map<number, number>;
  threads: Map<string, { pid: number; label: string; s: number }>;
  kinds: Map<number, string>;
}

/**
 * CPU seconds used so far by each thread of `root` and every process below it, labelled with the
 * process's kind and the thread's name, digits dropped (`renderer: DedicatedWorker thread`).
 */
export function treeThreadCpu(root: number): ThreadCpu {
  const processes = treeCpu(root);
  const threads: ThreadCpu['threads'] = new Map();
  const kinds = new Map<number, string>();
  for (const pid of processes.keys()) {
    const kind = processKind(pid);
    kinds.set(pid, kind);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const s = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
        threads.set(`${pid}/${tid}`, { pid, label: `${kind}: ${comm.replace(/\d+/g, '')}`, s });
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return { processes, threads, kinds };
}

/**
 * CPU seconds between two readings, summed by label, largest first; what threads that ended
 * meanwhile used (a worker ended) is each process's remainder, `KIND: threads ended`.
 */
export function threadCpuSince(before: ThreadCpu, after: ThreadCpu): [string, number][] {
  const byLabel = new Map<string, number>();
  const add = (label: string, s: number) => byLabel.set(label, (byLabel.get(label) ?? 0) + s);
  const live = new Map<number, number>();
  for (const [key, { pid, label, s }] of after.threads) {
    const used = s - (before.threads.get(key)?.s ?? 0);
    add(label, used);
    live.set(pid, (live.get(pid) ?? 0) + used);
  }
  for (const [pid, s] of after.processes) {
    const ended = s - (before.processes.get(pid) ?? 0) - (live.get(pid) ?? 0);
    add(`${after.kinds.get(pid) ?? '?'}: threads ended`, ended);
  }
  return [...byLabel]
    .filter(([, s]) => s >= 0.01)
    .map(([label, s]): [string, number] => [label, Math.round(s * 100) / 100])
    .sort((a, b) => b[1] - a[1]);
}
