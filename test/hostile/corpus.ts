import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';

/** One hostile file: what it is, its bytes, and what an operator must be told. */
export interface HostileCase {
  id: string;
  fileName: string;
  bytes: Uint8Array;
  /** A fragment the error must contain; undefined when the file is in fact a valid checkpoint. */
  expect?: RegExp;
  /** The line the error must name, where one is known. */
  line?: number;
  /** Text that must never appear in any output: an entity expanded, a file read. */
  never?: string;
  /** Valid to the schema (an unloaded external entity is only a warning to libxml2), refused by the rules. */
  schemaWarns?: RegExp;
  /** Valid to xmllint, which reads the file's encoding, refused by libvirt, which reads it as UTF-8. */
  libvirtRefuses?: { expect: RegExp; line: number };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : [...p])));

const LOL = Array.from({ length: 9 }, (_, i) => {
  const prev = i === 0 ? 'lol' : `lol${i}`;
  return ` <!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
}).join('\n');

/** Small cases; the large ones are made by `largeCases` only when a test asks for them. */
export function hostileCases(): HostileCase[] {
  return [
    {
      id: 'unclosed',
      fileName: 'unclosed.xml',
      bytes: utf8('<domaincheckpoint>\n  <name>a</name>\n  <disks>\n'),
      expect: /Premature end of data|disks|malformed/i,
      line: 4,
    },
    {
      id: 'crossed',
      fileName: 'crossed.xml',
      bytes: utf8(
        '<domaincheckpoint>\n<name><description>x</name></description>\n</domaincheckpoint>\n',
      ),
      expect: /mismatch/i,
      line: 2,
    },
    {
      id: 'wrong-root',
      fileName: 'wrong-root.xml',
      bytes: utf8('<domainsnapshot>\n  <name>s</name>\n</domainsnapshot>\n'),
      expect: /domaincheckpoint/,
      line: 1,
    },
    {
      id: 'empty',
      fileName: 'empty.xml',
      bytes: new Uint8Array(),
      expect: /empty|root element|Document is empty/i,
    },
    {
      id: 'png',
      fileName: 'image.png',
      bytes: new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0,
        0, 1,
      ]),
      expect: /binary data, not XML text/,
    },
    {
      // A zip named as a checkpoint: named .zip, it is a bundle and opened (test/cli/inputs.test.ts).
      id: 'zip',
      fileName: 'zipped.xml',
      bytes: zipSync({ 'a.xml': utf8('<domaincheckpoint/>') }),
      expect: /binary data, not XML text/,
    },
    {
      id: 'latin1',
      fileName: 'latin1.xml',
      bytes: cat(
        '<domaincheckpoint>\n<description>caf',
        [0xe9],
        '</description>\n</domaincheckpoint>\n',
      ),
      expect: /not proper UTF-8/,
      line: 2,
    },
    {
      id: 'bom',
      fileName: 'bom.xml',
      bytes: cat(
        [0xef, 0xbb, 0xbf],
        '<domaincheckpoint>\n  <name>bom</name>\n  <creationTime>1</creationTime>\n</domaincheckpoint>\n',
      ),
    },
    {
      id: 'utf16',
      fileName: 'utf16.xml',
      bytes: new Uint8Array([
        0xff,
        0xfe,
        ...[
          ...'<?xml version="1.0" encoding="UTF-16"?>\n<domaincheckpoint><name>u16</name><creationTime>1</creationTime></domaincheckpoint>\n',
        ].flatMap((c) => [c.charCodeAt(0), 0]),
      ]),
      // libvirt 9.0: "(domain_checkpoint):1: Start tag expected, '<' not found".
      libvirtRefuses: { expect: /Start tag expected, '<' not found/, line: 1 },
    },
    {
      id: 'billion-laughs',
      fileName: 'bomb.xml',
      bytes: utf8(
        `<?xml version="1.0"?>\n<!DOCTYPE domaincheckpoint [\n <!ENTITY lol "lol">\n${LOL}\n]>\n<domaincheckpoint><name>a</name><description>&lol9;</description></domaincheckpoint>\n`,
      ),
      expect: /entity/i,
      never: 'lollollol',
    },
    {
      id: 'external-file',
      fileName: 'external-file.xml',
      bytes: utf8(
        '<?xml version="1.0"?>\n<!DOCTYPE domaincheckpoint [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n<domaincheckpoint><name>a</name><creationTime>1</creationTime><description>&x;</description></domaincheckpoint>\n',
      ),
      expect: /entity/i,
      line: 3,
      never: 'root:',
      schemaWarns: /failed to load external entity/,
    },
    {
      id: 'external-http',
      fileName: 'external-http.xml',
      bytes: utf8(
        '<?xml version="1.0"?>\n<!DOCTYPE domaincheckpoint [ <!ENTITY y SYSTEM "http://127.0.0.1:9/x"> ]>\n<domaincheckpoint><name>a</name><creationTime>1</creationTime><description>&y;</description></domaincheckpoint>\n',
      ),
      expect: /entity/i,
      line: 3,
      schemaWarns: /failed to load external entity/,
    },
    {
      id: 'xinclude',
      fileName: 'xinclude.xml',
      bytes: utf8(
        '<domaincheckpoint xmlns:xi="http://www.w3.org/2001/XInclude">\n<name>a</name>\n<xi:include href="/etc/passwd" parse="text"/>\n</domaincheckpoint>\n',
      ),
      expect: /failed to validate against schema/,
      line: 3,
      never: 'root:',
    },
    {
      id: 'processing-instruction',
      fileName: 'pi.xml',
      bytes: utf8(
        '<?xml version="1.0"?>\n<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?>\n<domaincheckpoint><name>pi</name><creationTime>1</creationTime><?php echo 1; ?></domaincheckpoint>\n',
      ),
    },
    {
      id: 'script-name',
      fileName: 'script-name.xml',
      bytes: utf8(
        '<domaincheckpoint>\n<name>&lt;script&gt;alert(1)&lt;/script&gt;</name>\n<creationTime>1</creationTime>\n</domaincheckpoint>\n',
      ),
      expect: /failed to validate against schema/,
      line: 2,
    },
    {
      id: 'script-description',
      fileName: 'script-description.xml',
      bytes: utf8(
        '<domaincheckpoint>\n<name>xss</name>\n<creationTime>1</creationTime>\n<description>&lt;img src=x onerror=alert(1)&gt; javascript:alert(1) &lt;script&gt;alert(2)&lt;/script&gt;</description>\n</domaincheckpoint>\n',
      ),
    },
  ];
}

export function writeCases(
  cases: readonly HostileCase[],
  dir = mkdtempSync(join(tmpdir(), 'hostile-')),
): string {
  mkdirSync(dir, { recursive: true });
  for (const c of cases) writeFileSync(join(dir, c.fileName), c.bytes);
  return dir;
}

/** A 50 MB checkpoint (a huge description) and 100,000-deep nesting inside <domain>. */
export function largeCases(): HostileCase[] {
  return [
    {
      id: 'huge-description',
      fileName: 'huge.xml',
      bytes: utf8(
        `<domaincheckpoint>\n<name>big</name>\n<creationTime>1</creationTime>\n<description>${'x'.repeat(50_000_000)}</description>\n</domaincheckpoint>\n`,
      ),
      // refused before it is read: over the 16 MiB default
      expect: /over the limit of 16\.0 MiB/,
      line: 1,
    },
    {
      id: 'deep-domain',
      fileName: 'deep.xml',
      bytes: utf8(
        `<domaincheckpoint>\n<name>d</name>\n<creationTime>1</creationTime>\n<domain type="kvm">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</domain>\n</domaincheckpoint>\n`,
      ),
      expect: /Excessive depth/,
      line: 4,
    },
  ];
}

/** A folder of 10,000 files that are not XML, and names with spaces, quotes and non-ASCII. */
export function writeAwkwardFolder(dir = mkdtempSync(join(tmpdir(), 'awkward-'))): string {
  for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, `notes-${i}.txt`), `not xml ${i}\n`);
  const names = ['with space.xml', 'it\'s "quoted".xml', 'café-☃.xml'];
  names.forEach((n, i) =>
    writeFileSync(
      join(dir, n),
      `<domaincheckpoint>\n  <name>n${i}</name>\n  <creationTime>${i + 1}</creationTime>\n</domaincheckpoint>\n`,
    ),
  );
  return dir;
}
