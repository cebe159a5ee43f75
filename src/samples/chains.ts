// Sets of checkpoints: the app's examples, the chains the e2e tests open, the bench's backup folder.
import { checkpointXml } from './checkpoint-xml.ts';
import { EXAMPLE_GUEST, randomGuest, randomUuid, runningGuest } from './guests.ts';
import { seededRandom } from './random.ts';

/** A checkpoint file as a folder holds it. */
export interface GeneratedCheckpoint {
  name: string;
  parent?: string;
  fileName: string;
  contents: string;
}

/** A file to open: its name and its text. */
export interface SampleFile {
  fileName: string;
  contents: string;
}

interface ExampleLink {
  name: string;
  description: string;
  parent?: string;
  creationTime: number;
}

const exampleXml = (link: ExampleLink) =>
  checkpointXml({ ...link, disks: EXAMPLE_GUEST.disks, domain: EXAMPLE_GUEST.domain });

const EXAMPLE_LINKS: ExampleLink[] = [
  {
    name: 'web01-2024-03-01',
    description: 'Full backup before the kernel upgrade',
    creationTime: 1709251200,
  },
  {
    name: 'web01-2024-03-02',
    description: 'Nightly incremental backup',
    parent: 'web01-2024-03-01',
    creationTime: 1709337600,
  },
  {
    name: 'web01-2024-03-03',
    description: 'Nightly incremental backup',
    parent: 'web01-2024-03-02',
    creationTime: 1709424000,
  },
];

/** A valid chain of three checkpoints of one VM, as `virsh checkpoint-dumpxml` prints them. */
export const EXAMPLE_CHAIN: readonly SampleFile[] = EXAMPLE_LINKS.map((link) => ({
  fileName: `${link.name}.xml`,
  contents: exampleXml(link),
}));

/** A checkpoint edited by hand with mistakes: a bitmap on the read-only CD-ROM and an element the schema rejects. */
export const EXAMPLE_WITH_ERRORS: readonly SampleFile[] = [
  {
    fileName: 'web01-2024-03-04.xml',
    contents: exampleXml({
      name: 'web01-2024-03-04',
      description: 'Edited by hand: see what the editor reports',
      parent: 'web01-2024-03-03',
      creationTime: 1709510400,
    })
      .replace("<disk name='sda' checkpoint='no'/>", "<disk name='sda' checkpoint='bitmap'/>")
      .replace('</domaincheckpoint>', '  <active>1</active>\n</domaincheckpoint>'),
  },
];

/** One checkpoint of the running guest `vm` (see runningGuest). */
export function runningGuestCheckpoint(
  name: string,
  parent: string | undefined,
  creationTime: number,
  vm: string,
  uuid: string,
): string {
  const guest = runningGuest(vm, uuid);
  return checkpointXml({ name, parent, creationTime, disks: guest.disks, domain: guest.domain });
}

export interface ChainOptions {
  count: number;
  vm?: string;
  uuid?: string;
  /** Every how many checkpoints a branch starts from an earlier one (0: a straight line). */
  branchEvery?: number;
  /** The first creation time, in seconds. */
  start?: number;
  prefix?: string;
}

/**
 * `count` checkpoints of one VM, a day apart: each the child of the one before, except that every
 * `branchEvery`-th starts a branch from the checkpoint five back (a restore, then new backups).
 */
export function checkpointChain(options: ChainOptions): GeneratedCheckpoint[] {
  const vm = options.vm ?? 'web01';
  const uuid = options.uuid ?? '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';
  const prefix = options.prefix ?? 'virtnbdbackup.';
  const start = options.start ?? 1709251200;
  const out: GeneratedCheckpoint[] = [];
  for (let i = 0; i < options.count; i++) {
    const name = `${prefix}${i}`;
    const branch = options.branchEvery && i > 5 && i % options.branchEvery === 0;
    const parent = i === 0 ? undefined : `${prefix}${branch ? i - 5 : i - 1}`;
    const entry: GeneratedCheckpoint = {
      name,
      fileName: `${name}.xml`,
      contents: runningGuestCheckpoint(name, parent, start + i * 86400, vm, uuid),
    };
    if (parent !== undefined) entry.parent = parent;
    out.push(entry);
  }
  return out;
}

/**
 * `count` checkpoints of one long-lived guest, as its backup folder holds them: chains of 10 to 40
 * (a full backup, then incrementals), now and then a branch (an incremental taken after a restore
 * from an older checkpoint), and the guest's disks changing between chains. Names are
 * virtnbdbackup.N, unique in the folder as libvirt requires of one domain's checkpoints.
 */
export function backupFolder(count: number, seed = 20240501): GeneratedCheckpoint[] {
  const next = seededRandom(seed).next;
  const guestSeed = Math.floor(next() * 2 ** 32);
  const guestUuid = randomUuid(next);
  const out: GeneratedCheckpoint[] = [];
  let time = 1_700_000_000;
  for (let chain = 0; out.length < count; chain++) {
    // The same guest (name, uuid) each time; its devices drawn again, as after a reconfiguration.
    const vm = randomGuest(7, guestUuid, seededRandom(guestSeed + chain).next);
    const length = Math.min(count - out.length, 10 + Math.floor(next() * 31));
    const names: string[] = [];
    for (let n = 0; n < length; n++) {
      const name = `virtnbdbackup.${out.length}`;
      let parent = names[n - 1];
      if (n > 2 && next() < 0.08) parent = names[Math.floor(next() * (n - 1))];
      time += 3600 + Math.floor(next() * 86_400);
      out.push({
        name,
        ...(parent === undefined ? {} : { parent }),
        fileName: `${name}.xml`,
        contents: checkpointXml({
          name,
          parent,
          creationTime: time,
          disks: vm.disks,
          domain: vm.domain,
        }),
      });
      names.push(name);
    }
  }
  return out;
}
