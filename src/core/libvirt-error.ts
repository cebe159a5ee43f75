import type { Problem } from './problem.ts';

/** The category libvirt puts before each of these messages (its virErrorNumber's text). */
const CATEGORY: Record<string, string> = {
  'wrong-root': 'XML error',
  'redefine-no-name': 'XML error',
  'redefine-no-creation-time': 'internal error',
  'parent-self': 'invalid argument',
  'uuid-mismatch': 'invalid argument',
  'disk-too-many': 'unsupported configuration',
  'domain-no-disks': 'unsupported configuration',
  'disk-unknown': 'unsupported configuration',
  'disk-twice': 'unsupported configuration',
  'disk-empty-or-readonly': 'unsupported configuration',
  'qemu-bitmap-name': 'unsupported configuration',
  'qemu-storage-type': 'unsupported configuration',
};

/** A problem's message as virsh prints it after `error: `, category first where libvirt has one. */
export function libvirtMessage(p: Problem): string {
  const category = CATEGORY[p.code];
  return category ? `${category}: ${p.message}` : p.message;
}
