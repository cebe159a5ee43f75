/** A disk of a sample checkpoint: a bitmap named after the checkpoint, or none. */
export interface SampleDisk {
  name: string;
  bitmap: boolean;
}

/** A checkpoint to write, with the <domain> it carries (indented as virsh indents it). */
export interface SampleCheckpoint {
  name: string;
  description?: string;
  parent?: string | undefined;
  /** Seconds since 1970. */
  creationTime: number;
  disks: readonly SampleDisk[];
  domain: string;
}

/** One checkpoint as `virsh checkpoint-dumpxml` prints it: every sample is written by this. */
export function checkpointXml(c: SampleCheckpoint): string {
  const lines = ['<domaincheckpoint>', `  <name>${c.name}</name>`];
  if (c.description !== undefined) lines.push(`  <description>${c.description}</description>`);
  if (c.parent !== undefined)
    lines.push('  <parent>', `    <name>${c.parent}</name>`, '  </parent>');
  lines.push(`  <creationTime>${c.creationTime}</creationTime>`, '  <disks>');
  for (const d of c.disks) {
    lines.push(
      d.bitmap
        ? `    <disk name='${d.name}' checkpoint='bitmap' bitmap='${c.name}'/>`
        : `    <disk name='${d.name}' checkpoint='no'/>`,
    );
  }
  lines.push('  </disks>', c.domain, '</domaincheckpoint>', '');
  return lines.join('\n');
}
