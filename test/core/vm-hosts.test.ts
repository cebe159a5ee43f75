import { describe, expect, it } from 'vitest';
import {
  containerHost,
  describeVm,
  groupByVm,
  offeredHost,
  splitHostKey,
} from '../../src/core/index.ts';

// The host of a fleet/ folder's files (contrib/ansible/collect.yml writes fleet/HOST/VM-checkpoints.tar.gz):
// one rule for the CLI (below the folder named) and the page (below the folder dropped or picked).

describe('the host a file was collected from', () => {
  it('the folder its bundle or DOMAIN-checkpoints/ folder sits in, below the folder opened', () => {
    expect(containerHost('kvm1/web01-checkpoints.tar.gz')).toBe('kvm1');
    expect(containerHost('kvm1/web01-checkpoints/checkpoints/bk.1.xml')).toBe('kvm1');
    expect(containerHost('dc1/kvm2/db01-checkpoints.zip')).toBe('kvm2');
    expect(containerHost('kvm"2\\b/db01-checkpoints.tgz')).toBe('kvm"2\\b');
    // The folder where collect.sh ran, opened itself: no host.
    expect(containerHost('web01-checkpoints/domain.xml')).toBeUndefined();
    expect(containerHost('web01-checkpoints.tar.gz')).toBeUndefined();
    expect(containerHost('vms/web01/bk.1.xml')).toBeUndefined();
  });

  it('the page: the path as offered starts with the folder dropped; a bundle entry by its bundle', () => {
    expect(offeredHost('web01-checkpoints/domain.xml', 'fleet/kvm1/web01-checkpoints.tar.gz')).toBe(
      'kvm1',
    );
    expect(offeredHost('fleet/kvm2/db01-checkpoints/checkpoints/bk.1.xml')).toBe('kvm2');
    expect(offeredHost('ran/web01-checkpoints/checkpoints/bk.1.xml')).toBeUndefined();
    expect(offeredHost('bk.1.xml', 'web01-checkpoints.tar.gz')).toBeUndefined();
  });
});

describe('groupByVm per host', () => {
  const uuid = '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f';
  const file = (host: string | undefined, path: string) => ({
    path,
    root: 'checkpoint' as const,
    uuid,
    name: 'web01',
    ...(host !== undefined ? { host } : {}),
  });

  it('the same VM (name and uuid) on two hosts is two VMs, labelled by host; no host: as before', () => {
    const { groups, assignments } = groupByVm([
      file('kvm1', 'web01-checkpoints/checkpoints/bk.1.xml'),
      file('kvm2', 'web01-checkpoints/checkpoints/bk.1.xml'),
      file('kvm1', 'web01-checkpoints/checkpoints/bk.2.xml'),
    ]);
    expect(groups.map((g) => [g.key, g.label, g.host, g.files])).toEqual([
      [`host:kvm1/uuid:${uuid}`, 'web01 on kvm1', 'kvm1', [0, 2]],
      [`host:kvm2/uuid:${uuid}`, 'web01 on kvm2', 'kvm2', [1]],
    ]);
    expect(assignments.map((a) => a.key)).toEqual([
      `host:kvm1/uuid:${uuid}`,
      `host:kvm2/uuid:${uuid}`,
      `host:kvm1/uuid:${uuid}`,
    ]);
    expect(groupByVm([file(undefined, 'a/bk.1.xml')]).groups.map((g) => g.key)).toEqual([
      `uuid:${uuid}`,
    ]);
  });

  it('a key keeps its host: describeVm reads it back (what a reload restores)', () => {
    const key = `host:${encodeURIComponent('kvm 3')}/uuid:${uuid}`;
    expect(splitHostKey(key)).toEqual({ host: 'kvm 3', key: `uuid:${uuid}` });
    expect(describeVm(key, 'web01')).toEqual({
      label: 'web01',
      name: 'web01',
      uuid,
      host: 'kvm 3',
    });
    expect(describeVm(`uuid:${uuid}`, 'web01')).toEqual({ label: 'web01', name: 'web01', uuid });
  });
});
