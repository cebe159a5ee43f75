import type { OpenedFile } from './documents-slice.ts';

// Our own examples: a small VM with two data disks and a read-only CD-ROM, in virsh's layout.
const DOMAIN = `  <domain type='kvm'>
    <name>web01</name>
    <uuid>4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b</uuid>
    <memory unit='KiB'>4194304</memory>
    <currentMemory unit='KiB'>4194304</currentMemory>
    <vcpu placement='static'>2</vcpu>
    <os>
      <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
      <boot dev='hd'/>
    </os>
    <clock offset='utc'/>
    <on_poweroff>destroy</on_poweroff>
    <on_reboot>restart</on_reboot>
    <on_crash>destroy</on_crash>
    <devices>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='/var/lib/libvirt/images/web01-system.qcow2'/>
        <target dev='vda' bus='virtio'/>
      </disk>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='/var/lib/libvirt/images/web01-data.qcow2'/>
        <target dev='vdb' bus='virtio'/>
      </disk>
      <disk type='file' device='cdrom'>
        <driver name='qemu' type='raw'/>
        <source file='/var/lib/libvirt/images/debian-12-netinst.iso'/>
        <target dev='sda' bus='sata'/>
        <readonly/>
      </disk>
      <graphics type='vnc' port='-1' autoport='yes' passwd='example-only'>
        <listen type='address'/>
      </graphics>
      <memballoon model='virtio'/>
    </devices>
  </domain>
`;

interface ChainLink {
  name: string;
  description: string;
  parent?: string;
  creationTime: number;
}

function checkpointText(link: ChainLink): string {
  const parent = link.parent ? `  <parent>\n    <name>${link.parent}</name>\n  </parent>\n` : '';
  return `<domaincheckpoint>
  <name>${link.name}</name>
  <description>${link.description}</description>
${parent}  <creationTime>${link.creationTime}</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='${link.name}'/>
    <disk name='vdb' checkpoint='bitmap' bitmap='${link.name}'/>
    <disk name='sda' checkpoint='no'/>
  </disks>
${DOMAIN}</domaincheckpoint>
`;
}

const CHAIN: ChainLink[] = [
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
export const EXAMPLE_CHAIN: OpenedFile[] = CHAIN.map((link) => ({
  fileName: `${link.name}.xml`,
  contents: checkpointText(link),
}));

/** A checkpoint edited by hand with mistakes: a bitmap on the read-only CD-ROM and an element the schema rejects. */
export const EXAMPLE_WITH_ERRORS: OpenedFile[] = [
  {
    fileName: 'web01-2024-03-04.xml',
    contents: checkpointText({
      name: 'web01-2024-03-04',
      description: 'Edited by hand: see what the editor reports',
      parent: 'web01-2024-03-03',
      creationTime: 1709510400,
    })
      .replace("<disk name='sda' checkpoint='no'/>", "<disk name='sda' checkpoint='bitmap'/>")
      .replace('</domaincheckpoint>', '  <active>1</active>\n</domaincheckpoint>'),
  },
];
