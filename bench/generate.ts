// The bench's inputs: checkpoints as `virsh checkpoint-dumpxml` prints them for a running KVM guest,
// each with its full <domain>, in chains with branches, named as virtnbdbackup names them.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Checkpoint {
  /** virtnbdbackup.N, unique across the whole set. */
  name: string;
  parent?: string;
  fileName: string;
  contents: string;
}

/** A small deterministic generator (mulberry32): the same inputs on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(next: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(next() * 16).toString(16);
  return s;
}

function uuid(next: () => number): string {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

function mac(next: () => number): string {
  return `52:54:00:${hex(next, 2)}:${hex(next, 2)}:${hex(next, 2)}`;
}

interface Vm {
  name: string;
  uuid: string;
  domain: string;
  /** Its disks in domain order: a qcow2 disk gets a bitmap, a raw one or a cdrom is left out. */
  disks: { dev: string; bitmap: boolean }[];
}

/** A guest as libvirt 9 dumps it: q35, several disks of each kind, the usual devices. */
function makeVm(index: number, id: string, next: () => number): Vm {
  const name = `vm${String(index).padStart(3, '0')}`;
  const dataDisks = 1 + Math.floor(next() * 3);
  const disks: string[] = [];
  const checkpointDisks = [{ dev: 'vda', bitmap: true }];
  disks.push(`      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>
        <source file='/var/lib/libvirt/images/${name}.qcow2' index='3'/>
        <backingStore type='file' index='4'>
          <format type='qcow2'/>
          <source file='/var/lib/libvirt/images/base/debian-12-genericcloud-amd64.qcow2'/>
          <backingStore/>
        </backingStore>
        <target dev='vda' bus='virtio'/>
        <boot order='1'/>
        <alias name='virtio-disk0'/>
        <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
      </disk>`);
  for (let d = 0; d < dataDisks; d++) {
    const dev = `vd${String.fromCharCode(98 + d)}`;
    // A raw LV (no bitmap possible: virtnbdbackup leaves it out), a qcow2 LV, a qcow2 file.
    const format = d === 0 ? 'raw' : 'qcow2';
    const [type, source] =
      d === 2
        ? ['file', `file='/var/lib/libvirt/images/${name}-data${d}.qcow2'`]
        : ['block', `dev='/dev/vg_${name}/data${d}'`];
    checkpointDisks.push({ dev, bitmap: format === 'qcow2' });
    disks.push(`      <disk type='${type}' device='disk'>
        <driver name='qemu' type='${format}' cache='none' io='native'/>
        <source ${source} index='${5 + d}'/>
        <backingStore/>
        <target dev='${dev}' bus='virtio'/>
        <alias name='virtio-disk${d + 1}'/>
        <address type='pci' domain='0x0000' bus='0x0${5 + d}' slot='0x00' function='0x0'/>
      </disk>`);
  }
  disks.push(`      <disk type='file' device='cdrom'>
        <driver name='qemu' type='raw'/>
        <source file='/var/lib/libvirt/images/iso/debian-12.5.0-amd64-netinst.iso' index='1'/>
        <backingStore/>
        <target dev='sda' bus='sata'/>
        <readonly/>
        <alias name='sata0-0-0'/>
        <address type='drive' controller='0' bus='0' target='0' unit='0'/>
      </disk>`);
  const memory = 1048576 * (1 + Math.floor(next() * 8));
  const vcpus = 1 + Math.floor(next() * 8);
  const domain = `  <domain type='kvm' id='${1 + index}'>
    <name>${name}</name>
    <uuid>${id}</uuid>
    <metadata>
      <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
        <libosinfo:os id="http://debian.org/debian/12"/>
      </libosinfo:libosinfo>
    </metadata>
    <memory unit='KiB'>${memory}</memory>
    <currentMemory unit='KiB'>${memory}</currentMemory>
    <vcpu placement='static'>${vcpus}</vcpu>
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
      <vmport state='off'/>
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
    <pm>
      <suspend-to-mem enabled='no'/>
      <suspend-to-disk enabled='no'/>
    </pm>
    <devices>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
${disks.join('\n')}
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
      <controller type='pci' index='1' model='pcie-root-port'>
        <model name='pcie-root-port'/>
        <target chassis='1' port='0x10'/>
        <alias name='pci.1'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>
      </controller>
      <controller type='pci' index='2' model='pcie-root-port'>
        <model name='pcie-root-port'/>
        <target chassis='2' port='0x11'/>
        <alias name='pci.2'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/>
      </controller>
      <controller type='virtio-serial' index='0'>
        <alias name='virtio-serial0'/>
        <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
      </controller>
      <interface type='network'>
        <mac address='${mac(next)}'/>
        <source network='default' portid='${uuid(next)}' bridge='virbr0'/>
        <target dev='vnet${index}'/>
        <model type='virtio'/>
        <alias name='net0'/>
        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </interface>
      <serial type='pty'>
        <source path='/dev/pts/${index % 64}'/>
        <target type='isa-serial' port='0'>
          <model name='isa-serial'/>
        </target>
        <alias name='serial0'/>
      </serial>
      <console type='pty' tty='/dev/pts/${index % 64}'>
        <source path='/dev/pts/${index % 64}'/>
        <target type='serial' port='0'/>
        <alias name='serial0'/>
      </console>
      <channel type='unix'>
        <source mode='bind' path='/run/libvirt/qemu/channel/${1 + index}-${name}/org.qemu.guest_agent.0'/>
        <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>
        <alias name='channel0'/>
        <address type='virtio-serial' controller='0' bus='0' port='1'/>
      </channel>
      <input type='tablet' bus='usb'>
        <alias name='input0'/>
        <address type='usb' bus='0' port='1'/>
      </input>
      <input type='mouse' bus='ps2'>
        <alias name='input1'/>
      </input>
      <input type='keyboard' bus='ps2'>
        <alias name='input2'/>
      </input>
      <graphics type='vnc' port='${5900 + index}' autoport='yes' listen='127.0.0.1'>
        <listen type='address' address='127.0.0.1'/>
      </graphics>
      <audio id='1' type='none'/>
      <video>
        <model type='virtio' heads='1' primary='yes'/>
        <alias name='video0'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
      </video>
      <memballoon model='virtio'>
        <alias name='balloon0'/>
        <address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>
      </memballoon>
      <rng model='virtio'>
        <backend model='random'>/dev/urandom</backend>
        <alias name='rng0'/>
        <address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0'/>
      </rng>
    </devices>
    <seclabel type='dynamic' model='apparmor' relabel='yes'>
      <label>libvirt-${id}</label>
      <imagelabel>libvirt-${id}</imagelabel>
    </seclabel>
    <seclabel type='dynamic' model='dac' relabel='yes'>
      <label>+64055:+994</label>
      <imagelabel>+64055:+994</imagelabel>
    </seclabel>
  </domain>`;
  return { name, uuid: id, domain, disks: [...checkpointDisks, { dev: 'sda', bitmap: false }] };
}

function checkpointXml(vm: Vm, name: string, parent: string | undefined, time: number): string {
  const disks = vm.disks.map(({ dev, bitmap }) =>
    bitmap
      ? `    <disk name='${dev}' checkpoint='bitmap' bitmap='${name}'/>`
      : `    <disk name='${dev}' checkpoint='no'/>`,
  );
  const parentXml = parent ? `  <parent>\n    <name>${parent}</name>\n  </parent>\n` : '';
  return `<domaincheckpoint>
  <name>${name}</name>
${parentXml}  <creationTime>${time}</creationTime>
  <disks>
${disks.join('\n')}
  </disks>
${vm.domain}
</domaincheckpoint>
`;
}

/**
 * `count` checkpoints of one long-lived guest, as its backup folder holds them: chains of 10 to 40
 * (a full backup, then incrementals), now and then a branch (an incremental taken after a restore
 * from an older checkpoint), and the guest's disks changing between chains. Names are
 * virtnbdbackup.N, unique in the folder as libvirt requires of one domain's checkpoints.
 */
export function generateCheckpoints(count: number, seed = 20240501): Checkpoint[] {
  const next = random(seed);
  const guestSeed = Math.floor(next() * 2 ** 32);
  const guestUuid = uuid(next);
  const out: Checkpoint[] = [];
  let time = 1_700_000_000;
  for (let chain = 0; out.length < count; chain++) {
    // The same guest (name, uuid) each time; its devices drawn again, as after a reconfiguration.
    const vm = makeVm(7, guestUuid, random(guestSeed + chain));
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
        contents: checkpointXml(vm, name, parent, time),
      });
      names.push(name);
    }
  }
  return out;
}

/** Writes the checkpoints to `dir` (emptied first) and returns their paths, in order. */
export function writeCheckpoints(dir: string, checkpoints: readonly Checkpoint[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = checkpoints.map((c) => join(dir, c.fileName));
  checkpoints.forEach((c, i) => writeFileSync(paths[i] as string, c.contents));
  if (readdirSync(dir).length !== checkpoints.length)
    throw new Error(`${dir}: duplicate file names`);
  return paths;
}
