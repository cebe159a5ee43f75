import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-malformed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('XML libxml2 refuses is refused by every command, with libxml2’s message and line', () => {
  it('tree lists what it can read and names the file it cannot, exit 1', async () => {
    const folder = join(dir, 'chain');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'ok.xml'),
      '<domaincheckpoint>\n  <name>ok</name>\n  <creationTime>5</creationTime>\n</domaincheckpoint>\n',
    );
    // A bare & (once listed as a checkpoint named "a  b", exit 0).
    writeFileSync(
      join(folder, 'amp.xml'),
      '<domaincheckpoint>\n  <name>a & b</name>\n</domaincheckpoint>\n',
    );
    const r = await runCli(['tree', folder]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('ok\n\n');
    expect(r.err).toContain(`${join(folder, 'amp.xml')}:2: xmlParseEntityRef: no name`);
  });

  it('format names libxml2’s line for a form feed, ]]> and &#0;', async () => {
    const cases: [string, string, string][] = [
      [
        'ff.xml',
        '<domaincheckpoint>\n  <name>a \f b</name>\n</domaincheckpoint>\n',
        ':2: PCDATA invalid Char value 12',
      ],
      [
        'cdend.xml',
        '<domaincheckpoint>\n  <name>a ]]> b</name>\n</domaincheckpoint>\n',
        ":2: Sequence ']]>' not allowed in content",
      ],
      [
        'nul.xml',
        '<domaincheckpoint>\n  <name>a &#0; b</name>\n</domaincheckpoint>\n',
        ':2: xmlParseCharRef: invalid xmlChar value 0',
      ],
    ];
    for (const [name, text, said] of cases) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = await runCli(['format', '--redefine', '--allow-no-domain', file]);
      expect(r.code, name).toBe(1);
      expect(r.err, name).toContain(`${file}${said}`);
    }
  });
});
