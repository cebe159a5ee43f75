/** A VM of the differential test's fake host (libvirt's test driver), that every case is redefined on. */
export interface TestHostVm {
  name: string;
  uuid: string;
  /** The <domain> written into the fake host's node.xml. */
  definition: string;
  /** Its disks: the target dev, and the source path libvirt also accepts as a checkpoint disk name. */
  disks: { target: string; source?: string }[];
}

export const TEST_HOST_VMS: readonly TestHostVm[] = [
  {
    // Every disk kind whose default libvirt decides: writable, raw, network, readonly, cdrom, empty.
    name: 'multi',
    uuid: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
    definition: `<domain type='test'>
  <name>multi</name>
  <uuid>6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b</uuid>
  <memory unit='KiB'>524288</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/data.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/sdb'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/tmp/iso.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>
    <disk type='file' device='cdrom'><target dev='hdd' bus='ide'/><readonly/></disk>
    <disk type='file' device='cdrom'><source file='/tmp/rw.iso'/><target dev='sda' bus='scsi'/></disk>
    <disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='export1'><host name='example.org' port='10809'/></source><target dev='vdc' bus='virtio'/></disk>
    <disk type='file' device='disk'><source file='/tmp/ro.img'/><target dev='vdd' bus='virtio'/><readonly/></disk>
    <graphics type='vnc' port='-1' autoport='yes' passwd='pa&amp;ss&apos;w"d'/>
  </devices>
</domain>`,
    disks: [
      { target: 'vda', source: '/tmp/data.img' },
      { target: 'vdb', source: '/dev/sdb' },
      { target: 'vdc' },
      { target: 'vdd', source: '/tmp/ro.img' },
      { target: 'hdc', source: '/tmp/iso.iso' },
      { target: 'hdd' },
      { target: 'sda', source: '/tmp/rw.iso' },
    ],
  },
  {
    // The shape of libvirt's own QEMUGuest1, with a secret that --security-info shows.
    name: 'guest1',
    uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809',
    definition: `<domain type='test'>
  <name>guest1</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/HostVG/QEMUGuest1'/><target dev='hda' bus='ide'/></disk>
    <disk type='block' device='cdrom'><driver name='qemu' type='raw'/><source dev='/dev/HostVG/QEMUGuest2'/><target dev='hdc' bus='ide'/><readonly/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/data.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/logs.img'/><target dev='vdb' bus='virtio'/></disk>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cr&amp;t'/>
  </devices>
</domain>`,
    disks: [
      { target: 'hda', source: '/dev/HostVG/QEMUGuest1' },
      { target: 'hdc', source: '/dev/HostVG/QEMUGuest2' },
      { target: 'vda', source: '/tmp/data.img' },
      { target: 'vdb', source: '/tmp/logs.img' },
    ],
  },
  {
    // Markup and non-ASCII in the domain's own text and paths; floppy, dir, volume, network cdrom.
    name: 'odd-paths',
    uuid: '3e9a7b1c-5d2f-4a8e-b6c0-1f2e3d4c5b6a',
    definition: `<domain type='test'>
  <name>odd-paths</name>
  <uuid>3e9a7b1c-5d2f-4a8e-b6c0-1f2e3d4c5b6a</uuid>
  <title>Tést &amp; "quotes" 'single' &lt;tag&gt;</title>
  <description>Ünïcödé ☃ 日本 😀 a &amp; b &gt; c</description>
  <memory unit='KiB'>262144</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file="/var/lib/libvirt/images/a&amp;b 'c' &quot;d&quot; é.qcow2"/><target dev='sda' bus='sata'/></disk>
    <disk type='file' device='floppy'><source file='/tmp/floppy.img'/><target dev='fda' bus='fdc'/></disk>
    <disk type='dir' device='disk'><source dir='/tmp/fatdir'/><target dev='hdb' bus='ide'/></disk>
    <disk type='block' device='disk'><source dev='/dev/mapper/vg-lv_1'/><target dev='xvda' bus='xen'/></disk>
    <disk type='volume' device='disk'><source pool='default' volume='vol1.qcow2'/><target dev='vde' bus='virtio'/></disk>
    <disk type='network' device='cdrom'><source protocol='http' name='/isos/boot.iso'><host name='mirror.example' port='80'/></source><target dev='sdb' bus='scsi'/><readonly/></disk>
    <graphics type='spice' autoport='yes' passwd='sp&lt;ice&gt;'/>
  </devices>
</domain>`,
    disks: [
      { target: 'sda', source: `/var/lib/libvirt/images/a&b 'c' "d" é.qcow2` },
      { target: 'fda', source: '/tmp/floppy.img' },
      { target: 'hdb', source: '/tmp/fatdir' },
      { target: 'xvda', source: '/dev/mapper/vg-lv_1' },
      { target: 'vde' },
      { target: 'sdb' },
    ],
  },
  {
    // One disk, as most real VMs.
    name: 'web01',
    uuid: '4dea22b3-1d52-d8f3-2516-782e98ab3fa0',
    definition: `<domain type='test'>
  <name>web01</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <memory unit='KiB'>1048576</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/web01.qcow2'/><target dev='vda' bus='virtio'/></disk>
  </devices>
</domain>`,
    disks: [{ target: 'vda', source: '/var/lib/libvirt/images/web01.qcow2' }],
  },
  {
    // No disk at all: libvirt refuses a checkpoint that carries this domain.
    name: 'nodisks',
    uuid: '9a8b7c6d-5e4f-4321-8fed-cba987654321',
    definition: `<domain type='test'>
  <name>nodisks</name>
  <uuid>9a8b7c6d-5e4f-4321-8fed-cba987654321</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
</domain>`,
    disks: [],
  },
];

/** The fake host: libvirt's test driver reads it afresh at every virsh invocation. */
export function testHostXml(vms: readonly TestHostVm[]): string {
  return `<node>\n${vms.map((vm) => vm.definition).join('\n')}\n</node>\n`;
}
