/** What a problem code means: what it is, what libvirt does with such a file, how to fix it. */
export interface ProblemHelp {
  code: string;
  title: string;
  /** Where the problem comes from, as the Help view groups them. */
  topic: HelpTopic;
  /** What libvirt (virsh checkpoint-create --redefine) does with a file that has it. */
  libvirt: string;
  fix: string;
}

export type HelpTopic =
  'reading' | 'schema' | 'fields' | 'redefine' | 'target' | 'qemu' | 'chain' | 'images';

export const HELP_TOPICS: { topic: HelpTopic; title: string }[] = [
  { topic: 'reading', title: 'Reading the file' },
  { topic: 'schema', title: 'libvirt’s schema' },
  { topic: 'fields', title: 'Values the schema refuses' },
  { topic: 'redefine', title: 'libvirt’s redefine rules' },
  { topic: 'target', title: 'The target VM' },
  { topic: 'qemu', title: 'The QEMU driver' },
  { topic: 'chain', title: 'The chain' },
  { topic: 'images', title: 'The disk images (qemu-img info, QMP)' },
];

/** libvirt's word in its messages: "parent P for moment C not found". */
export const MOMENT_MEANING =
  'A moment is libvirt’s word for what a checkpoint and a snapshot share: a name, a parent, a creation time and the VM. In its messages, “moment C” is the checkpoint C.';

type Entry = Omit<ProblemHelp, 'code' | 'topic'>;

const REFUSED_AS_TEXT =
  'virsh fails before anything is defined: the file never reaches libvirt’s rules.';

const HELP: Record<HelpTopic, Record<string, Entry>> = {
  reading: {
    'not-xml': {
      title: 'Binary data, not XML text',
      libvirt: REFUSED_AS_TEXT,
      fix: 'This is not a checkpoint file: leave it out of the folder. A checkpoint is what virsh checkpoint-dumpxml prints.',
    },
    encoding: {
      title: 'An encoding libvirt does not read',
      libvirt:
        'libvirt reads a file as UTF-8 text whatever its XML declaration says; bytes that are not UTF-8 make it refuse the file.',
      fix: 'Save the file as UTF-8, with encoding="UTF-8" or no encoding in its declaration.',
    },
    'bundle-unreadable': {
      title: 'A bundle that cannot be unpacked',
      libvirt:
        'Not libvirt’s concern: a bundle is how the files travel from the host (scripts/collect.sh or the CLI’s collect).',
      fix: 'Make the bundle again on the host, or unpack it there and open the folder. A .tar.gz, .tgz, .tar or .zip is read; anything else is not.',
    },
    'bundle-too-large': {
      title: 'A bundle too large to unpack',
      libvirt:
        'Not libvirt’s concern: the page refuses to unpack more than 256 MiB, which no VM’s checkpoints and disk state come near (a packed bomb stops there).',
      fix: 'Unpack it on the host and open the checkpoints folder, or collect the one VM again.',
    },
    'file-too-large': {
      title: 'File too large',
      libvirt:
        'virsh reads at most 10 MiB of a file and refuses a larger one ("Failed to read file").',
      fix: 'A checkpoint is a few kilobytes: this is probably not one. Leave it out.',
    },
    'xml-malformed': {
      title: 'Not well-formed XML',
      libvirt:
        'libvirt parses with libxml2, which stops at this error with the same message: the checkpoint is refused.',
      fix: 'Go to the line (choose the problem) and mend the XML in the source pane: a tag not closed, a bare & or <, a stray character.',
    },
    'xml-too-deep': {
      title: 'Elements nested too deep',
      libvirt: 'libxml2 stops at 256 levels of nesting: the file is refused.',
      fix: 'A checkpoint nests a few levels: this file was not made by libvirt. Remove the nesting.',
    },
    'xml-text-too-long': {
      title: 'A text too long for libxml2',
      libvirt: 'libxml2 refuses a text node over its size limit: the file is refused.',
      fix: 'Shorten the text (a description, metadata).',
    },
    'xml-warning': {
      title: 'libxml2 warning',
      libvirt: 'libxml2 reads the file and warns; libvirt goes on.',
      fix: 'Nothing is required; the message says what libxml2 noticed.',
    },
    'xml-namespace': {
      title: 'Namespace warning',
      libvirt: 'libxml2 reads the file and warns about a namespace declaration; libvirt goes on.',
      fix: 'Give the namespace an absolute URI, or remove the declaration if nothing uses it.',
    },
    'xml-entity': {
      title: 'An entity not defined',
      libvirt:
        'libxml2 cannot expand the reference; libvirt does not expand entities anyway, and its schema check then refuses the element holding it.',
      fix: 'Write the text itself instead of the &name; reference.',
    },
    'wrong-root': {
      title: 'Not a checkpoint',
      libvirt: 'libvirt refuses it: "expecting root element of \'domaincheckpoint\'".',
      fix: 'Open a checkpoint (virsh checkpoint-dumpxml VM NAME), not a VM definition or a snapshot. A target VM definition goes under Chain → Target VM.',
    },
  },
  schema: {
    schema: {
      title: 'Against libvirt’s schema',
      libvirt:
        'libvirt validates every checkpoint it redefines against this schema (domaincheckpoint.rng) and refuses the file ("XML document failed to validate against schema").',
      fix: 'libxml2 names the element that failed; where the editor knows the value at fault, its own line leads and says what is allowed. Fix that value in the form or the source.',
    },
    'libvirt-schema-entity': {
      title: 'An entity reference libvirt does not expand',
      libvirt:
        'libvirt reads the reference as it stands, and its schema check refuses the element holding it, although xmllint, which expands entities, calls the file valid.',
      fix: 'Write the text itself instead of the &name; reference.',
    },
    'schema-unavailable': {
      title: 'Not validated against the schema',
      libvirt: 'Not libvirt’s verdict: the editor could not run the schema check.',
      fix: 'Reload the page, or load libvirt’s schemas with Load schemas….',
    },
    'validation-failed': {
      title: 'Validation did not run',
      libvirt: 'Not libvirt’s verdict: xmllint gave none.',
      fix: 'Check the schema set (Load schemas…) and reload the page.',
    },
    'validation-out-of-memory': {
      title: 'Validation ran out of memory',
      libvirt: 'Not libvirt’s verdict: the file was too large to validate in the page.',
      fix: 'Validate fewer or smaller files at once, or use the command line (validate).',
    },
    'validation-timeout': {
      title: 'Validation took too long',
      libvirt: 'Not libvirt’s verdict: xmllint was stopped.',
      fix: 'Validate fewer files at once, or use the command line (validate).',
    },
    'worker-failed': {
      title: 'A check failed in the page',
      libvirt: 'Not libvirt’s verdict: the editor’s own check of the file failed.',
      fix: 'Reload the page; if it stays, report the file’s problem to the editor’s authors.',
    },
  },
  fields: {
    'field-name': {
      title: 'A name the schema refuses',
      libvirt:
        'libvirt’s schema takes letters, digits, "_", "-" and "." (not first): the file is refused.',
      fix: 'Rename the checkpoint in the form (its file, NAME.xml, should follow).',
    },
    'field-parent': {
      title: 'A parent name the schema refuses',
      libvirt: 'The parent’s name follows the same pattern as a name: the file is refused.',
      fix: 'Correct the parent’s name, or clear it for a root checkpoint.',
    },
    'field-creation-time': {
      title: 'A creation time that is not one',
      libvirt:
        'libvirt keeps the creation time as whole seconds since 1970 (a long long): anything else is refused.',
      fix: 'Enter whole seconds, or pick the date and time beside them.',
    },
    'field-disk-name': {
      title: 'A disk name the schema refuses',
      libvirt:
        'A disk is named by its target (vda, sdb…) or the absolute path of its source: the file is refused.',
      fix: 'Name the disk as the VM’s <target dev=…> does.',
    },
    'field-disk-checkpoint': {
      title: 'checkpoint= must be bitmap or no',
      libvirt:
        "The schema takes only checkpoint='bitmap' or 'no' on a disk: the file is refused (\"Extra element disks in interleave\").",
      fix: 'Choose bitmap or no in the disk’s Checkpoint column.',
    },
    'field-bitmap-on-no': {
      title: 'A bitmap on a disk without one',
      libvirt: "A disk with checkpoint='no' takes no bitmap= or size=: the file is refused.",
      fix: 'Remove the bitmap (and size), or set checkpoint to bitmap.',
    },
  },
  redefine: {
    'redefine-no-name': {
      title: 'No name',
      libvirt: 'libvirt refuses it: "a redefined checkpoint must have a name".',
      fix: 'Give the checkpoint its name (the one its bitmaps carry).',
    },
    'redefine-no-creation-time': {
      title: 'No creation time',
      libvirt: 'libvirt refuses it: "missing creationTime from existing checkpoint".',
      fix: 'Enter the creation time (seconds since 1970) the checkpoint was made at.',
    },
    'redefine-no-domain': {
      title: '<domain> required by the strict rules',
      libvirt:
        'libvirt before 7.0 refuses a checkpoint without <domain> ("the redefine flag requires the <domain> sub-element to be present"); 7.0 and later redefine it.',
      fix: 'Choose the Redefine rules of the libvirt you redefine on; for an older libvirt, export the checkpoint with its domain (virsh checkpoint-dumpxml without --no-domain).',
    },
    'parent-self': {
      title: 'Its own parent',
      libvirt: 'libvirt refuses it: "cannot set moment X as its own parent".',
      fix: 'Set the parent to the checkpoint made before it, or clear it for a root.',
    },
    'uuid-mismatch': {
      title: 'Another VM’s uuid',
      libvirt:
        'libvirt refuses a checkpoint whose <domain> uuid is not the VM’s: "definition for checkpoint X must use uuid Y".',
      fix: 'Redefine it on the VM it was made on; or, if the VM was defined again, correct the uuid.',
    },
    'disk-too-many': {
      title: 'More disks than the VM has',
      libvirt: 'libvirt refuses it: "too many disk checkpoint requests for domain".',
      fix: 'Remove the disks the VM does not have.',
    },
    'domain-no-disks': {
      title: 'A VM without disks',
      libvirt: 'libvirt refuses it: "domain must have at least one disk to perform checkpoints".',
      fix: 'The <domain> has no disks: export the checkpoint again from its VM.',
    },
    'disk-unknown': {
      title: 'A disk the VM does not have',
      libvirt: 'libvirt refuses it: "no disk named \'X\'".',
      fix: 'Name the disk by one of the VM’s targets, or remove it.',
    },
    'disk-twice': {
      title: 'A disk listed twice',
      libvirt: 'libvirt refuses it: "disk \'X\' specified twice".',
      fix: 'Remove one of the two.',
    },
    'disk-empty-or-readonly': {
      title: 'A bitmap on an empty or read-only disk',
      libvirt: 'libvirt refuses it: "disk \'X\' is empty or readonly".',
      fix: 'Set checkpoint to no on that disk (a CD-ROM, a read-only disk).',
    },
  },
  target: {
    'target-disk-too-many': {
      title: 'More disks than the target VM has',
      libvirt:
        'Redefined on the target VM, libvirt refuses it: "too many disk checkpoint requests for domain".',
      fix: 'Remove the disks the target VM no longer has.',
    },
    'target-domain-no-disks': {
      title: 'A target VM without disks',
      libvirt: 'libvirt refuses it: "domain must have at least one disk to perform checkpoints".',
      fix: 'Check the target VM definition you loaded.',
    },
    'target-disk-unknown': {
      title: 'A disk the target VM does not have',
      libvirt: 'Redefined on the target VM, libvirt refuses it: "no disk named \'X\'".',
      fix: 'The VM’s disks changed since the checkpoint: set checkpoint to no on the missing disk, or give the VM the disk.',
    },
    'target-disk-twice': {
      title: 'A disk listed twice',
      libvirt: 'libvirt refuses it: "disk \'X\' specified twice".',
      fix: 'Remove one of the two.',
    },
    'target-disk-empty-or-readonly': {
      title: 'A bitmap on a disk the target VM has empty or read-only',
      libvirt: 'libvirt refuses it: "disk \'X\' is empty or readonly".',
      fix: 'Set checkpoint to no on that disk.',
    },
  },
  qemu: {
    'qemu-bitmap-name': {
      title: 'A bitmap not named after its checkpoint',
      libvirt:
        'A redefine takes it; when QEMU creates a checkpoint it names each bitmap after the checkpoint, so the bitmap on the disk may not be this one.',
      fix: 'Use the checkpoint’s name as the bitmap’s, unless the disk image holds a bitmap of that other name.',
    },
    'qemu-storage-type': {
      title: 'A disk that cannot hold a bitmap',
      libvirt:
        'A redefine takes it; QEMU keeps bitmaps only in qcow2 images, so no bitmap exists on this disk and an incremental backup from it fails.',
      fix: 'Set checkpoint to no on that disk, or convert the disk to qcow2.',
    },
  },
  chain: {
    'parent-missing': {
      title: 'Parent not among the files',
      libvirt:
        'libvirt refuses the redefine: "parent P for moment C not found" — the parent must be defined first. The redefine script leaves it out, and every checkpoint below it.',
      fix: 'Add the parent’s file to the folder (it may be in another backup folder), or set the parent to one that is loaded; a checkpoint without a parent is a root.',
    },
    'parent-cycle': {
      title: 'Parents in a cycle',
      libvirt:
        'Whichever of them libvirt meets first has no parent defined yet: "parent P for moment C not found". The script leaves them all out.',
      fix: 'Correct the parent of one of them, so that the chain starts somewhere.',
    },
    'duplicate-name': {
      title: 'A checkpoint defined twice',
      libvirt:
        'libvirt takes the second redefine of a name and replaces the first with it: one of the two files is lost. The editor keeps the file named NAME.xml (else the first) and leaves the other out of the script.',
      fix: 'Keep one file per checkpoint: close or delete the copy, or rename the checkpoint in it if it is another one.',
    },
    'other-vm': {
      title: 'Another VM’s checkpoint',
      libvirt:
        'Its <domain> carries another uuid than the rest of the chain: redefined on this chain’s VM, libvirt refuses it ("must use uuid").',
      fix: 'Leave it out of this folder; it belongs to another VM’s chain.',
    },
    'created-before-parent': {
      title: 'Created before its parent',
      libvirt: 'libvirt does not check it and redefines the checkpoint.',
      fix: 'Usually a wrong parent or a wrong clock: check that the parent is the checkpoint made just before it.',
    },
    'disk-appears': {
      title: 'A disk that its parent does not have',
      libvirt:
        'libvirt does not check it. An incremental backup of that disk has no earlier bitmap.',
      fix: 'Nothing to fix if the disk was added to the VM between the two checkpoints.',
    },
    'disk-disappears': {
      title: 'A disk its parent had',
      libvirt: 'libvirt does not check it. The disk’s chain of bitmaps ends here.',
      fix: 'Nothing to fix if the disk was removed from the VM between the two checkpoints.',
    },
    'file-name': {
      title: 'File not named NAME.xml',
      libvirt:
        'A redefine reads any file name; libvirt stores the checkpoint as NAME.xml, and the editor prefers that file where two define one checkpoint.',
      fix: 'Rename the file to the checkpoint’s name with .xml.',
    },
    'backup-no-full': {
      title: 'An incremental backup with no full backup before it',
      libvirt:
        'Not libvirt’s concern: the data files are virtnbdbackup’s. virtnbdrestore starts each disk from its DISK.full.data ("Unable to locate base full or copy backup"), so without it no incremental of that disk can be restored.',
      fix: 'Bring the full backup’s data file into the folder, or start a new chain: virtnbdbackup -l full into an empty folder.',
    },
    'backup-no-data': {
      title: 'A checkpoint with no data file',
      libvirt:
        'libvirt keeps the checkpoint, but the changes up to it are in no file: virtnbdrestore cannot restore this disk to it, nor to any checkpoint after it.',
      fix: 'Bring the data file (DISK.inc.CHECKPOINT.data) into the folder; if it is lost, take a full backup into a new folder.',
    },
    'backup-wrong-data': {
      title: 'A data file holding other data than its name says',
      libvirt:
        'Not libvirt’s concern: the file’s own header (virtnbdbackup’s sparse stream) names another disk or checkpoint, or another parent. virtnbdbackup 1.9.15 writes an offline incremental (the VM shut off) under the latest checkpoint’s name, over the incremental of that checkpoint: the changes up to it are gone from the folder.',
      fix: 'Take a full backup into a new folder; keep the VM running for incremental backups, or use a new folder after an offline one.',
    },
    'backup-partial': {
      title: 'A backup that did not finish',
      libvirt:
        'virtnbdbackup writes DISK.….data.partial and renames it only when the disk’s backup finished; with one in the folder it refuses the next incremental ("Partial backup found in target directory").',
      fix: 'Take a full backup into a new folder, as virtnbdbackup says ("Consider re-executing full backup").',
    },
    'backup-no-bitmap': {
      title: 'An incremental of a disk its checkpoint does not keep',
      libvirt:
        "libvirt gives an incremental backup of a disk only from a checkpoint that keeps a bitmap of it (<disk checkpoint='bitmap'>); virtnbdbackup names the data file after that checkpoint.",
      fix: "Check that the data file belongs to this folder and this VM; its header (virtnbdbackup's meta frame) names the disk and checkpoint it was taken of.",
    },
    'backup-no-checkpoint': {
      title: 'An incremental with no checkpoint file',
      libvirt:
        'virtnbdbackup redefines the checkpoints from checkpoints/NAME.xml before each backup; without the file libvirt knows no such checkpoint.',
      fix: 'Open the folder’s checkpoints/ with its data files, or bring checkpoints/NAME.xml back from the host (virsh checkpoint-dumpxml).',
    },
  },
  images: {
    'image-info-refused': {
      title: 'Not qemu-img info or QMP output',
      libvirt:
        'libvirt never reads this file; the editor cannot say what the disk images hold without it.',
      fix: 'Give the output of qemu-img info --output=json --backing-chain (add -U while the VM runs), or of virsh qemu-monitor-command VM \'{"execute":"query-named-block-nodes"}\'.',
    },
    'json-malformed': {
      title: 'Not JSON',
      libvirt: 'libvirt never reads this file; the editor reads no image from it.',
      fix: 'Capture the output again with --output=json, whole, and open it unchanged.',
    },
    'image-twice': {
      title: 'One image described twice, differently',
      libvirt: 'libvirt sees only the image as it is now; one of the two descriptions is old.',
      fix: 'Open only the newest output of each image (the live QMP view wins over qemu-img).',
    },
    'image-ambiguous': {
      title: 'Several images could be this disk',
      libvirt: 'libvirt uses the path in the VM’s <source>; the editor cannot tell which it is.',
      fix: 'Choose the disk’s image in Disk images.',
    },
    'image-unmatched': {
      title: 'An image of no disk',
      libvirt: 'libvirt ignores an image no disk of the VM uses.',
      fix: 'Nothing to fix if the image belongs to another VM; otherwise choose it for its disk in Disk images.',
    },
    'image-without-bitmaps': {
      title: 'An image that cannot hold bitmaps',
      libvirt:
        'libvirt cannot keep a checkpoint’s bitmap in it, so every backup of the disk is full.',
      fix: 'Convert the image to qcow2 (compat 1.1) with qemu-img convert while the VM is shut off.',
    },
    'image-corrupt': {
      title: 'An image marked corrupt',
      libvirt: 'QEMU opens it read-only at most; libvirt refuses backups that need its bitmaps.',
      fix: 'With the VM shut off, run qemu-img check -r all on the image, then check again.',
    },
    'backing-not-loaded': {
      title: 'A backing image not loaded',
      libvirt: 'libvirt follows the whole backing chain; the editor judges only what it was given.',
      fix: 'Run qemu-img info with --backing-chain and open that output.',
    },
    'image-data-stale': {
      title: 'Image data of a running VM, read with -U',
      libvirt:
        'libvirt asks the running QEMU, which holds bitmaps made since start in memory and marks every bitmap it loaded in-use in the file: the file says what the image held at the last start.',
      fix: 'Collect with QMP while the VM runs (collect.sh does), or read the images with the VM shut off. No repair is built from such data.',
    },
    'image-not-top': {
      title: 'An image that may not be the disk’s top',
      libvirt:
        'libvirt’s bitmap chain starts at the image the VM’s current definition names; a newer layer above this one may be it.',
      fix: 'Load the VM’s current definition (domain.xml of collect.sh, virsh dumpxml as the target VM, check --target-vm or check --connect).',
    },
    'checkpoint-not-defined': {
      title: 'A checkpoint libvirt does not know, with its bitmaps in the images',
      libvirt:
        'libvirt starts no backup from a checkpoint missing from its list (after an undefine and define, say); the bitmaps are still good for it.',
      fix: 'Redefine the checkpoints from their saved XML with the redefine script (virsh checkpoint-create --redefine), parents first; do not remove the bitmaps.',
    },
    'bitmap-without-checkpoint': {
      title: 'A bitmap no checkpoint keeps',
      libvirt:
        'libvirt refuses a new checkpoint of that name (“Bitmap already exists”); a recording bitmap slows every write.',
      fix: 'Redefine the checkpoint that owns it, or remove the bitmap with the repair script (qemu-img bitmap --remove, VM shut off).',
    },
    'bitmap-metadata-only': {
      title: 'A checkpoint without its bitmap',
      libvirt:
        'libvirt refuses an incremental backup from this checkpoint, and deleting it needs --metadata.',
      fix: 'Take a full backup and a new checkpoint; delete this one with virsh checkpoint-delete --metadata.',
    },
    'bitmap-not-in-top': {
      title: 'A bitmap missing from the top image',
      libvirt: 'libvirt’s bitmap chain starts at the top image: it refuses the incremental backup.',
      fix: 'Take a full backup and a new checkpoint; the repair script says the steps.',
    },
    'bitmap-gap': {
      title: 'A gap in a bitmap’s chain',
      libvirt:
        'libvirt needs the bitmap in every image from the top down: it refuses the incremental backup.',
      fix: 'Take a full backup and a new checkpoint; the repair script says the steps.',
    },
    'bitmap-in-use': {
      title: 'A bitmap left inconsistent',
      libvirt: 'libvirt takes an in-use bitmap as inconsistent and refuses the incremental backup.',
      fix: 'Remove the bitmap and take a full backup and a new checkpoint (the repair script says how).',
    },
    'bitmap-disabled': {
      title: 'A disabled bitmap',
      libvirt: 'It has not recorded writes since it was disabled: libvirt refuses it.',
      fix: 'Take a full backup and a new checkpoint; the repair script says the steps.',
    },
    'bitmap-not-persistent': {
      title: 'A bitmap QEMU will drop',
      libvirt: 'QEMU drops it when the VM stops, so libvirt refuses it.',
      fix: 'Take a full backup and a new checkpoint with libvirt, which makes persistent bitmaps.',
    },
  },
};

const BY_CODE = new Map<string, ProblemHelp>();
for (const { topic } of HELP_TOPICS) {
  for (const [code, entry] of Object.entries(HELP[topic])) {
    BY_CODE.set(code, { code, topic, ...entry });
  }
}

/** Every code the editor can show, with its help, in the Help view's order. */
export const PROBLEM_HELP: readonly ProblemHelp[] = [...BY_CODE.values()];

/** The help for a problem code, if the editor knows it. */
export function problemHelp(code: string): ProblemHelp | undefined {
  return BY_CODE.get(code);
}
