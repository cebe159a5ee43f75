import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checkpoint, CheckpointDisk } from '../../src/core/index.ts';
import { escapeXml, formatCheckpoint, parseCheckpoint } from '../../src/core/index.ts';

const NAME = /^[a-zA-Z0-9_-][a-zA-Z0-9_.-]*$/;
const nameArb = fc.stringMatching(NAME).filter((s) => s.length <= 40);
// Text XML 1.0 can carry: no control characters but tab and newline (a parser turns CR into LF).
const textArb = fc
  .string({ unit: 'grapheme', maxLength: 60 })
  // eslint-disable-next-line no-control-regex
  .map((s) => s.replace(/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/g, ''))
  .filter((s) => s !== '');

const diskArb: fc.Arbitrary<CheckpointDisk> = fc.oneof(
  fc.record({ name: nameArb, checkpoint: fc.constant('no' as const) }),
  fc.record({ name: nameArb, checkpoint: fc.constant('bitmap' as const) }),
  fc.record(
    {
      name: nameArb,
      checkpoint: fc.constant('bitmap' as const),
      bitmap: textArb,
      size: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    },
    // libvirt prints a size only beside a bitmap name
    { requiredKeys: ['name', 'checkpoint', 'bitmap'] },
  ),
);

const checkpointArb: fc.Arbitrary<Checkpoint> = fc
  .record(
    {
      name: nameArb,
      description: textArb,
      parent: nameArb,
      creationTime: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
      disks: fc.array(diskArb, { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: [] },
  )
  .map((c) => ({ ...c, positions: {} }));

/** The model without where things stood, to compare what a file says. */
function facts(c: Checkpoint) {
  return {
    name: c.name,
    description: c.description,
    parent: c.parent,
    creationTime: c.creationTime,
    disks: c.disks?.map((d) => ({
      name: d.name,
      checkpoint: d.checkpoint,
      bitmap: d.bitmap,
      size: d.size,
    })),
  };
}

describe('formatCheckpoint', () => {
  it('escapes as virBufferEscapeString: five entities, other control characters dropped', () => {
    expect(escapeXml(`a&b<c>d"e'f\u0001g\th\ni`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;fg\th\ni');
  });

  it('parse(format(x)) equals x, and format is stable', () => {
    fc.assert(
      fc.property(checkpointArb, (cp) => {
        const text = formatCheckpoint(cp, { size: true });
        const back = parseCheckpoint(text);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        expect(facts(back.value)).toEqual(facts(cp));
        expect(formatCheckpoint(back.value, { size: true })).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('prints size only with the size option and only beside a bitmap', () => {
    const cp: Checkpoint = {
      name: 'c',
      positions: {},
      disks: [{ name: 'vda', checkpoint: 'bitmap', bitmap: 'c', size: '7' }],
    };
    expect(formatCheckpoint(cp)).not.toContain('size=');
    expect(formatCheckpoint(cp, { size: true })).toContain("bitmap='c' size='7'/>");
  });

  it('keeps the domain as the file wrote it, re-laid out, and drops the graphics password without security info', () => {
    const parsed = parseCheckpoint(
      `<domaincheckpoint><name>c</name><domain type="kvm">
        <!-- comment --><name>vm &amp; co</name>
        <devices><graphics type="vnc" passwd="s3cr&amp;t"><listen type='address'/></graphics><empty></empty></devices>
      </domain></domaincheckpoint>`,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const domain = [
      "  <domain type='kvm'>",
      '    <name>vm &amp; co</name>',
      '    <devices>',
      "      <graphics type='vnc' PASSWD>",
      "        <listen type='address'/>",
      '      </graphics>',
      '      <empty/>',
      '    </devices>',
      '  </domain>',
    ].join('\n');
    const wrap = (d: string) => `<domaincheckpoint>\n  <name>c</name>\n${d}\n</domaincheckpoint>\n`;
    expect(formatCheckpoint(parsed.value, { securityInfo: true })).toBe(
      wrap(domain.replace('PASSWD', "passwd='s3cr&amp;t'")),
    );
    expect(formatCheckpoint(parsed.value)).toBe(wrap(domain.replace(' PASSWD', '')));
    expect(formatCheckpoint(parsed.value, { noDomain: true })).toBe(
      '<domaincheckpoint>\n  <name>c</name>\n</domaincheckpoint>\n',
    );
  });
});
