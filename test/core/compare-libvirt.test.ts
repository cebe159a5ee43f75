import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareCheckpoints } from '../../src/core/index.ts';
import { readAnswer, runVirsh, VIRSH } from '../differential/virsh.ts';
import { skipWithout } from '../require.ts';
import { checkpointOf } from './helpers.ts';

// "Equivalent after libvirt's formatting", asked of libvirt itself: each variant of c1 is
// redefined on virsh's test driver and dumped; compareCheckpoints must find no difference exactly
// when libvirt prints the variant as it prints c1.
const dir = join(import.meta.dirname, '..', 'fixtures', 'compare');
const c1 = readFileSync(join(dir, 'c1.xml'), 'utf8');

const VARIANTS: Record<string, (text: string) => string> = {
  'one line, double quotes, a comment': (t) =>
    t.replace(/\n\s*/g, '').replace(/'/g, '"').replace('<devices>', '<devices><!-- disks -->'),
  'attributes in another order': (t) =>
    t.replace(
      "<type arch='x86_64' machine='pc-q35-7.2'>",
      "<type machine='pc-q35-7.2' arch='x86_64'>",
    ),
  'memory in GiB': (t) =>
    t.replace("<memory unit='KiB'>4194304</memory>", "<memory unit='GiB'>4</memory>"),
  'bus left to libvirt': (t) =>
    t.replace("<target dev='vda' bus='virtio'/>", "<target dev='vda'/>"),
  'a live domain id': (t) => t.replace("<domain type='test'>", "<domain type='test' id='9'>"),
  'disks in another order': (t) =>
    t.replace(
      "    <disk name='vda' checkpoint='bitmap' bitmap='c1'/>\n    <disk name='sda' checkpoint='no'/>",
      "    <disk name='sda' checkpoint='no'/>\n    <disk name='vda' checkpoint='bitmap' bitmap='c1'/>",
    ),
  'the bitmap name left to libvirt': (t) => t.replace(" bitmap='c1'", ''),
  'a console with a password': (t) =>
    t.replace('<devices>', "<devices>\n      <graphics type='vnc' port='-1' passwd='one'/>"),
  'the console with another password': (t) =>
    t.replace('<devices>', "<devices>\n      <graphics type='vnc' port='-1' passwd='two'/>"),
  'more memory': (t) =>
    t.replace("<memory unit='KiB'>4194304</memory>", "<memory unit='KiB'>8388608</memory>"),
  'more vCPUs': (t) =>
    t.replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>3</vcpu>"),
  'a description': (t) =>
    t.replace('<name>c1</name>', '<name>c1</name>\n  <description>nightly</description>'),
  'another creation time': (t) => t.replace('1709251200', '1709251201'),
  'another network': (t) => t.replace("network='default'", "network='backup'"),
  'another machine type': (t) => t.replace('pc-q35-7.2', 'pc-q35-8.0'),
  'no bitmap on vda': (t) =>
    t.replace("name='vda' checkpoint='bitmap' bitmap='c1'", "name='vda' checkpoint='no'"),
};

const work = mkdtempSync(join(tmpdir(), 'compare-libvirt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function libvirtDumps(): Promise<Map<string, string>> {
  const nodeXml = join(work, 'node.xml');
  writeFileSync(nodeXml, `<node>\n${readFileSync(join(dir, 'vm1.xml'), 'utf8')}</node>\n`);
  const cases = {
    c1: c1,
    ...Object.fromEntries(Object.entries(VARIANTS).map(([k, f]) => [k, f(c1)])),
  };
  const steps = Object.entries(cases).flatMap(([name, text], i) => {
    const file = join(work, `case-${i}.xml`);
    writeFileSync(file, text);
    return [
      { key: `${name}:create`, command: `checkpoint-create web01 --xmlfile '${file}' --redefine` },
      { key: name, command: 'checkpoint-dumpxml web01 c1' },
      { key: `${name}:delete`, command: 'checkpoint-delete web01 c1 --metadata' },
    ];
  });
  const sections = await runVirsh(work, nodeXml, 'equivalence', steps);
  const dumps = new Map<string, string>();
  for (const name of Object.keys(cases)) {
    const answer = readAnswer(sections.get(name));
    if (!answer.ok) throw new Error(`virsh on ${name}: ${answer.message}`);
    dumps.set(name, answer.text);
  }
  return dumps;
}

if (!skipWithout(existsSync(VIRSH), 'virsh (libvirt-clients)')) {
  describe('no difference exactly when libvirt prints the two alike', async () => {
    const dumps = await libvirtDumps();
    for (const [name, variant] of Object.entries(VARIANTS)) {
      it(name, () => {
        const libvirtAlike = dumps.get(name) === dumps.get('c1');
        const differences = compareCheckpoints(
          checkpointOf(c1),
          checkpointOf(variant(c1)),
        ).differences;
        expect(differences.length === 0, differences.map((d) => d.summary).join('; ')).toBe(
          libvirtAlike,
        );
      });
    }
    it('every two variants: no difference exactly when libvirt prints them alike', () => {
      const names = Object.keys(VARIANTS);
      const wrong: string[] = [];
      for (const a of names) {
        for (const b of names) {
          const found = compareCheckpoints(
            checkpointOf((VARIANTS[a] as (t: string) => string)(c1)),
            checkpointOf((VARIANTS[b] as (t: string) => string)(c1)),
          ).differences.length;
          if ((found === 0) !== (dumps.get(a) === dumps.get(b))) wrong.push(`${a} / ${b}`);
        }
      }
      expect(wrong).toEqual([]);
    });
    it('the variants hold both kinds', () => {
      const alike = Object.keys(VARIANTS).filter((n) => dumps.get(n) === dumps.get('c1'));
      expect(alike.length).toBeGreaterThan(3);
      expect(alike.length).toBeLessThan(Object.keys(VARIANTS).length - 3);
    });
  });
}
