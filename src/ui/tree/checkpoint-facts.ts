import type { CheckpointDisk, RuleVerdict } from '../../core/index.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** A creation time, UTC, to the second: `2024-03-01 00:00:05`; seconds as they stand when no date holds them. */
export function shortTime(seconds: string | undefined): string {
  if (seconds === undefined) return '';
  const d = new Date(Number(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return seconds;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The disks as libvirt holds them after a redefine when the rules pass, else as the file lists them. */
export function disksOf(verdict: RuleVerdict | undefined): readonly CheckpointDisk[] {
  return verdict?.redefinedDisks ?? verdict?.checkpoint?.disks ?? [];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
