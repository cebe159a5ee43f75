import type { CheckpointDisk, RuleVerdict } from '../../core/index.ts';

/** The disks as libvirt holds them after a redefine when the rules pass, else as the file lists them. */
export function disksOf(verdict: RuleVerdict | undefined): readonly CheckpointDisk[] {
  return verdict?.redefinedDisks ?? verdict?.checkpoint?.disks ?? [];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
