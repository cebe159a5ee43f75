// Sample guests: each a <domain> as libvirt dumps it (indented as it stands inside a checkpoint)
// and the disks its checkpoints name.
import type { SampleDisk } from './checkpoint-xml.ts';

export interface SampleGuest {
  name: string;
  uuid: string;
  domain: string;
  /** In the order a checkpoint lists them: a writable qcow2 disk keeps a bitmap, the rest not. */
  disks: SampleDisk[];
}

/** Our example: a small VM with two data disks and a read-only CD-ROM, in virsh's layout. */
export const EXAMPLE_GUEST: SampleGuest = {
  name: 'web01',
  uuid: '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b',
  domain: `  <domain type='kvm'>
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
  </domain>`,
  disks: [
    { name: 'vda', bitmap: true },
    { name: 'vdb', bitmap: true },
    { name: 'sda', bitmap: false },
  ],
};

/** A running q35 guest with a disk of each kind: vda and vdb keep bitmaps, vdc (raw) and sda do not. */
export function runningGuest(vm: string, uuid: string): SampleGuest {
  const domain = `  <domain type='kvm' id='7'>
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
  return {
    name: vm,
    uuid,
    domain,
    disks: [
      { name: 'vda', bitmap: true },
      { name: 'vdb', bitmap: true },
      { name: 'vdc', bitmap: false },
      { name: 'sda', bitmap: false },
    ],
  };
}

function hex(next: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(next() * 16).toString(16);
  return s;
}

/** A random uuid of version 4. */
export function randomUuid(next: () => number): string {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

function mac(next: () => number): string {
  return `52:54:00:${hex(next, 2)}:${hex(next, 2)}:${hex(next, 2)}`;
}

/** A guest as libvirt 9 dumps it: q35, several disks of each kind, the usual devices. */
export function randomGuest(index: number, id: string, next: () => number): SampleGuest {
  const name = `vm${String(index).padStart(3, '0')}`;
  const dataDisks = 1 + Math.floor(next() * 3);
  const disks: string[] = [];
  const checkpointDisks: SampleDisk[] = [{ name: 'vda', bitmap: true }];
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
    checkpointDisks.push({ name: dev, bitmap: format === 'qcow2' });
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
        <source network='default' portid='${randomUuid(next)}' bridge='virbr0'/>
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
  return { name, uuid: id, domain, disks: [...checkpointDisks, { name: 'sda', bitmap: false }] };
}
