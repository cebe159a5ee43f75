// Checkpoint files as a backup folder holds them: `virsh checkpoint-dumpxml` output for a running
// q35 guest, each with its whole <domain>, named virtnbdbackup.N, in a chain with branches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedCheckpoint {
  name: string;
  parent?: string;
  fileName: string;
  contents: string;
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

function domainXml(vm: string, uuid: string): string {
  return `  <domain type='kvm' id='7'>
    <name>${vm}</name>
    <uuid>${uuid}</uuid>
    <memory unit='KiB'>4194304</memory>
    <currentMemory unit='KiB'>4194304</currentMemory>
    <vcpu placement='static'>2</vcpu>
    <resource>
      <partition>/machine</partition>
    </resource>
    <os>
      <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
      <boot dev='hd'/>
    </os>
    <features>
      <acpi/>
      <apic/>
    </features>
    <cpu mode='host-passthrough' check='none' migratable='on'/>
    <clock offset='utc'>
      <timer name='rtc' tickpolicy='catchup'/>
      <timer name='pit' tickpolicy='delay'/>
      <timer name='hpet' present='no'/>
    </clock>
    <on_poweroff>destroy</on_poweroff>
    <on_reboot>restart</on_reboot>
    <on_crash>destroy</on_crash>
    <devices>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>
        <source file='/var/lib/libvirt/images/${vm}-system.qcow2' index='3'/>
        <backingStore type='file' index='4'>
          <format type='qcow2'/>
          <source file='/var/lib/libvirt/images/base/debian-12-genericcloud-amd64.qcow2'/>
          <backingStore/>
        </backingStore>
        <target dev='vda' bus='virtio'/>
        <boot order='1'/>
        <alias name='virtio-disk0'/>
        <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
      </disk>
      <disk type='block' device='disk'>
        <driver name='qemu' type='qcow2' cache='none' io='native'/>
        <source dev='/dev/vg_${vm}/data' index='2'/>
        <backingStore/>
        <target dev='vdb' bus='virtio'/>
        <alias name='virtio-disk1'/>
        <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
      </disk>
      <disk type='file' device='disk'>
        <driver name='qemu' type='raw' cache='none' io='native'/>
        <source file='/var/lib/libvirt/images/${vm}-scratch.img' index='5'/>
        <backingStore/>
        <target dev='vdc' bus='virtio'/>
        <alias name='virtio-disk2'/>
        <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>
      </disk>
      <disk type='file' device='cdrom'>
        <driver name='qemu' type='raw'/>
        <source file='/var/lib/libvirt/images/iso/debian-12.5.0-amd64-netinst.iso' index='1'/>
        <backingStore/>
        <target dev='sda' bus='sata'/>
        <readonly/>
        <alias name='sata0-0-0'/>
        <address type='drive' controller='0' bus='0' target='0' unit='0'/>
      </disk>
      <controller type='usb' index='0' model='qemu-xhci' ports='15'>
        <alias name='usb'/>
        <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
      </controller>
      <controller type='sata' index='0'>
        <alias name='ide'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>
      </controller>
      <controller type='pci' index='0' model='pcie-root'>
        <alias name='pcie.0'/>
      </controller>
      <interface type='network'>
        <mac address='52:54:00:6b:3c:58'/>
        <source network='default' portid='2d6a1d2e-8f0e-4f55-9c5c-1f7a7e4d3b21' bridge='virbr0'/>
        <target dev='vnet3'/>
        <model type='virtio'/>
        <alias name='net0'/>
        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </interface>
      <serial type='pty'>
        <source path='/dev/pts/2'/>
        <target type='isa-serial' port='0'>
          <model name='isa-serial'/>
        </target>
        <alias name='serial0'/>
      </serial>
      <console type='pty' tty='/dev/pts/2'>
        <source path='/dev/pts/2'/>
        <target type='serial' port='0'/>
        <alias name='serial0'/>
      </console>
      <graphics type='vnc' port='5903' autoport='yes' listen='127.0.0.1'>
        <listen type='address' address='127.0.0.1'/>
      </graphics>
      <video>
        <model type='virtio' heads='1' primary='yes'/>
        <alias name='video0'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
      </video>
      <memballoon model='virtio'>
        <alias name='balloon0'/>
        <address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>
      </memballoon>
    </devices>
    <seclabel type='dynamic' model='dac' relabel='yes'>
      <label>+64055:+994</label>
      <imagelabel>+64055:+994</imagelabel>
    </seclabel>
  </domain>`;
}

/** One file as virsh checkpoint-dumpxml prints it: bitmaps on the qcow2 disks, none on raw ones. */
export function checkpointXml(
  name: string,
  parent: string | undefined,
  creationTime: number,
  vm: string,
  uuid: string,
): string {
  const lines = ['<domaincheckpoint>', `  <name>${name}</name>`];
  if (parent !== undefined) lines.push('  <parent>', `    <name>${parent}</name>`, '  </parent>');
  lines.push(
    `  <creationTime>${creationTime}</creationTime>`,
    '  <disks>',
    `    <disk name='vda' checkpoint='bitmap' bitmap='${name}'/>`,
    `    <disk name='vdb' checkpoint='bitmap' bitmap='${name}'/>`,
    `    <disk name='vdc' checkpoint='no'/>`,
    `    <disk name='sda' checkpoint='no'/>`,
    '  </disks>',
    domainXml(vm, uuid),
    '</domaincheckpoint>',
    '',
  );
  return lines.join('\n');
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
      contents: checkpointXml(name, parent, start + i * 86400, vm, uuid),
    };
    if (parent !== undefined) entry.parent = parent;
    out.push(entry);
  }
  return out;
}

/** Writes the files into `dir` (created if need be) and returns it. */
export function writeCheckpoints(dir: string, files: readonly GeneratedCheckpoint[]): string {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.fileName), f.contents);
  return dir;
}
