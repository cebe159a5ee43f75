import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckJson } from '../../src/cli/check-json.ts';
import { uriHost } from '../../src/cli/collect-command.ts';
import type {
  BitmapVerdict,
  DiskReadinessState,
  Evidence,
  ImageMatchKind,
  VmReadiness,
} from '../../src/core/index.ts';
import { skipWithout } from '../require.ts';
import { addBitmap, createImage, haveQemuUtils, imageDir, imageInfo } from '../images/qemu-img.ts';
import type { VmDisk } from '../images/scenario.ts';
import { domainXml, writeChain } from '../images/scenario.ts';
import { runCli, runMain } from './run-cli.ts';

// check --json: one versioned document (docs/check.schema.json); check --prometheus: its metrics.

const SCHEMA = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'check.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(SCHEMA);

/** The document, checked against the schema: the test fails naming what does not fit. */
function documentOf(out: string): CheckJson {
  const doc: unknown = JSON.parse(out);
  if (!validate(doc)) throw new Error(JSON.stringify(validate.errors, null, 2));
  return doc as CheckJson;
}

/** Every value of a union, as keys: a value core adds and this list lacks fails the typecheck. */
const keys = <T extends string>(all: Record<T, true>) => Object.keys(all).sort();

describe('docs/check.schema.json names every value core can give', () => {
  /** The `enum` at a path of the schema's $defs (`disk.evidence`, `checkpoint.verdicts.verdict`). */
  const at = (def: string, ...path: string[]): unknown[] => {
    let node = (SCHEMA as { $defs: Record<string, unknown> }).$defs[def];
    for (const p of path) {
      const n = node as { properties?: Record<string, unknown>; items?: unknown };
      node = p === '[]' ? n.items : n.properties?.[p];
    }
    return (node as { enum: unknown[] }).enum;
  };
  const enumOf = (e: unknown[]) =>
    e
      .filter((v) => v !== null)
      .map(String)
      .sort();
  it('verdicts, readiness states, evidence and image matches', () => {
    const verdicts: Record<BitmapVerdict, true> = {
      ok: true,
      missing: true,
      gap: true,
      disabled: true,
      'in-use': true,
      'not persistent': true,
      'no image': true,
      no: true,
      unknown: true,
    };
    const disk: Record<DiskReadinessState, true> = {
      incremental: true,
      full: true,
      'no bitmaps': true,
      'no image': true,
      unknown: true,
    };
    const vm: Record<VmReadiness['state'], true> = {
      incremental: true,
      full: true,
      unknown: true,
      redefine: true,
    };
    const evidence: Record<Evidence, true> = { 'qemu-img': true, 'qemu-img -U': true, qmp: true };
    const match: Record<ImageMatchKind, true> = {
      path: true,
      'base name': true,
      chosen: true,
      none: true,
    };
    expect(enumOf(at('checkpoint', 'verdicts', '[]', 'verdict'))).toEqual(keys(verdicts));
    expect(enumOf(at('disk', 'readiness', 'state'))).toEqual(keys(disk));
    expect(enumOf(at('vm', 'readiness', 'state'))).toEqual(keys(vm));
    expect(enumOf(at('disk', 'evidence'))).toEqual(keys(evidence));
    expect(enumOf(at('disk', 'match'))).toEqual(keys(match));
  });
});

if (!skipWithout(haveQemuUtils, "qemu-img (Debian's qemu-utils)")) {
  describe('check --json and --prometheus over a fleet/ of bundles (real qemu-img)', () => {
    const d = imageDir('check-json');
    afterAll(d.remove);
    const fleet = d.path('fleet');
    // A host folder whose name needs escaping in a label: a quote and a backslash.
    const HOST2 = 'kvm"2\\b';

    /** fleet/HOST/VM-checkpoints.tar.gz as the playbook fetches it, from collect.sh's layout. */
    function bundle(host: string, vm: string, disks: VmDisk[], names: string[]): void {
      const work = join(d.dir, 'work', host);
      const folder = join(work, `${vm}-checkpoints`);
      mkdirSync(join(folder, 'checkpoints'), { recursive: true });
      mkdirSync(join(folder, 'images'));
      writeFileSync(join(folder, 'domain.xml'), `${domainXml(vm, disks).trim()}\n`);
      writeChain(join(folder, 'checkpoints'), vm, disks, names);
      for (const disk of disks)
        writeFileSync(join(folder, 'images', `${disk.target}.json`), imageInfo(disk.source));
      mkdirSync(join(fleet, host), { recursive: true });
      execFileSync(
        'tar',
        ['-czf', join(fleet, host, `${vm}-checkpoints.tar.gz`), `${vm}-checkpoints`],
        {
          cwd: work,
        },
      );
    }

    // web01 on kvm1: all well. db01 on HOST2: vdb without bk.2's bitmap (metadata without bitmap).
    const web = createImage(d.path('web01-vda.qcow2'));
    for (const b of ['bk.1', 'bk.2']) addBitmap(web, b);
    bundle('kvm1', 'web01', [{ target: 'vda', source: web }], ['bk.1', 'bk.2']);
    const dbA = createImage(d.path('db01-vda.qcow2'));
    const dbB = createImage(d.path('db01-vdb.qcow2'));
    for (const b of ['bk.1', 'bk.2']) addBitmap(dbA, b);
    addBitmap(dbB, 'bk.1');
    const dbDisks = [
      { target: 'vda', source: dbA },
      { target: 'vdb', source: dbB },
    ];
    bundle(HOST2, 'db01', dbDisks, ['bk.1', 'bk.2']);
    writeFileSync(join(fleet, 'README.txt'), 'gathered by contrib/ansible/collect.yml\n');

    it('writes one document that the schema accepts: VMs by host, disks, verdicts, readiness, problems', async () => {
      const r = await runCli(['check', '--json', fleet]);
      expect(r.err).toBe('skipped 1 file that is not .xml or .json\n');
      const doc = documentOf(r.out);
      expect(doc.version).toBe(1);
      expect(doc.passedOver).toBe(1);
      expect(doc.vms.map((v) => [v.host, v.name, v.readiness.line])).toEqual([
        // In natural order of the paths: '"' sorts before '1'.
        [HOST2, 'db01', 'db01: incremental since bk.1'],
        ['kvm1', 'web01', 'web01: incremental since bk.2'],
      ]);
      const [db01, web01] = doc.vms as [CheckJson['vms'][0], CheckJson['vms'][0]];
      expect(web01).toMatchObject({
        status: 0,
        uuid: '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f',
        definition: `${join(fleet, 'kvm1', 'web01-checkpoints.tar.gz')}/web01-checkpoints/domain.xml`,
        counts: { checkpoints: 2, errors: 0, warnings: 0 },
      });
      expect(web01.disks).toEqual([
        expect.objectContaining({
          target: 'vda',
          source: web,
          evidence: 'qemu-img',
          match: 'path',
          readiness: { state: 'incremental', since: 'bk.2', line: 'vda: incremental since bk.2' },
        }),
      ]);
      // bk.1 is valid on both disks, but bk.2 kept on vdb without its bitmap is an error: status 1.
      expect(db01.status).toBe(1);
      expect(db01.readiness).toMatchObject({ state: 'incremental', since: 'bk.1' });
      expect(
        db01.checkpoints.map((c) => [c.name, c.verdicts.map((v) => `${v.disk} ${v.verdict}`)]),
      ).toEqual([
        ['bk.1', ['vda ok', 'vdb ok']],
        ['bk.2', ['vda ok', 'vdb missing']],
      ]);
      const missing = db01.problems.find((p) => p.code === 'bitmap-metadata-only');
      expect(missing).toMatchObject({
        severity: 'error',
        file: `${join(fleet, HOST2, 'db01-checkpoints.tar.gz')}/db01-checkpoints/checkpoints/bk.2.xml`,
      });
      expect(missing?.line).toBeGreaterThan(1);
      expect(db01.counts).toEqual({ checkpoints: 2, errors: 1, warnings: 0 });
      expect(doc.status).toBe(1);
      expect(r.code).toBe(1);
    });

    it('--prometheus: the same findings as metrics, HELP and TYPE, labels escaped', async () => {
      const r = await runMain('check', '--prometheus', fleet);
      const families = parsePrometheusTextFormat(r.out);
      const values = (name: string) =>
        Object.fromEntries(
          (families.find((f) => f.name === `checkpoint_editor_${name}`)?.metrics ?? []).map((m) => [
            Object.values(m.labels ?? {}).join('|'),
            Number(m.value),
          ]),
        );
      for (const f of families) {
        expect(f.type).toBe('GAUGE');
        expect(f.help).not.toBe('');
      }
      const uuid = '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f';
      expect(values('vm_incremental_possible')).toEqual({
        [`kvm1|web01|${uuid}`]: 1,
        [`${HOST2}|db01|${uuid}`]: 1,
      });
      expect(values('vm_check_status')).toEqual({
        [`kvm1|web01|${uuid}`]: 0,
        [`${HOST2}|db01|${uuid}`]: 1,
      });
      expect(values('vm_errors')).toEqual({
        [`kvm1|web01|${uuid}`]: 0,
        [`${HOST2}|db01|${uuid}`]: 1,
      });
      expect(values('vm_checkpoints')[`${HOST2}|db01|${uuid}`]).toBe(2);
      expect(values('vm_readiness')[`${HOST2}|db01|${uuid}|incremental`]).toBe(1);
      expect(values('vm_readiness')[`${HOST2}|db01|${uuid}|full`]).toBe(0);
      expect(values('disk_incremental_possible')).toEqual({
        [`kvm1|web01|${uuid}|vda`]: 1,
        [`${HOST2}|db01|${uuid}|vda`]: 1,
        [`${HOST2}|db01|${uuid}|vdb`]: 1,
      });
      expect(values('disk_broken_checkpoints')[`${HOST2}|db01|${uuid}|vdb`]).toBe(1);
      expect(values('disk_valid_checkpoints')[`${HOST2}|db01|${uuid}|vdb`]).toBe(1);
      // The escaping itself, as the exposition format wants it.
      expect(r.out).toContain(`host="kvm\\"2\\\\b"`);
      expect(r.code).toBe(1);
    });

    it('--json with --prometheus is a usage error: exit 2', async () => {
      const r = await runMain('check', '--json', '--prometheus', fleet);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(/^error: --json, --prometheus.* exclude each other$/);
    });

    it('a skipped entry makes the document say status 1 and lists it', async () => {
      const broken = join(fleet, 'kvm1', 'junk-checkpoints.tar.gz');
      writeFileSync(broken, 'not gzip');
      try {
        const r = await runMain('check', '--json', join(fleet, 'kvm1'));
        const doc = documentOf(r.out);
        expect(doc.skipped).toEqual([{ path: broken, reason: 'not a gzip file: no gzip header' }]);
        expect(doc.vms.map((v) => v.status)).toEqual([0]);
        expect(doc.status).toBe(1);
        expect(r.code).toBe(1);
      } finally {
        rmSync(broken);
      }
    });
  });
}

describe('check --connect --json names the host the connection reaches', () => {
  it("the URI's host part, as the operator named it", () => {
    expect(uriHost('qemu+ssh://root@kvm1:2222/system')).toBe('kvm1');
    expect(uriHost('qemu+tls://kvm2.example.org/system?no_verify=1')).toBe('kvm2.example.org');
    expect(uriHost('qemu+ssh://[fd00::7]/system')).toBe('fd00::7');
    expect(uriHost('qemu:///system')).toBeUndefined();
    expect(uriHost('test:///default')).toBeUndefined();
  });

  const virsh = spawnSync('virsh', ['--version']).status === 0;
  if (!skipWithout(virsh, "virsh (Debian's libvirt-clients)")) {
    it("a local URI: libvirt's own answer, virsh hostname, in the document that fits the schema", async () => {
      const said = execFileSync('virsh', ['-q', '-c', 'test:///default', 'hostname'], {
        encoding: 'utf8',
      }).trim();
      expect(said).not.toBe('');
      const r = await runMain('check', '--connect', 'test:///default', '--json', 'test');
      const doc = documentOf(r.out);
      expect(doc.vms.map((v) => [v.name, v.host])).toEqual([['test', said]]);
    });
  }
});
